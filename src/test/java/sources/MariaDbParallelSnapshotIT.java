package sources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import testsupport.Json;
import testsupport.MariaDb;
import testsupport.RunningTributary;
import testsupport.TestServers;
import testsupport.Topics;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code snapshot: {threads, chunkRows}} on MariaDB: several connections in one consistent view, by primary-key ranges,
 * then the binlog from that view's position. A row read by the snapshot must look exactly as the same row streamed from
 * the binlog; with a writer changing the table throughout, replaying the topic must give the table's final contents.
 */
class MariaDbParallelSnapshotIT {

    final MariaDb maria = TestServers.mariadb();
    final String kafka = TestServers.kafka().bootstrap();

    @Test
    void aSnapshotRowLooksAsTheSameRowStreamed() throws Exception {
        maria.createDatabase("psnapm");
        String values = "'商品 一', 12.50, 0.1, 1.5, 9000000000, -3, 7, true, '2026-11-22 10:15:30.123456', '2026-11-22 10:15:30.5', "
                + "'2026-11-22', '10:15:30.25', '{\"a\": [1, 2]}', x'010203', b'10100101', 2026, 'b', NULL";
        maria.execute("psnapm",
                "CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(40) CHARACTER SET utf8mb4, price DECIMAL(12,2), ratio DOUBLE, "
                        + "score FLOAT, qty BIGINT, small SMALLINT, tiny TINYINT, flag BOOLEAN, created DATETIME(6), updated TIMESTAMP(6) NULL, "
                        + "day DATE, at_time TIME(6), attrs JSON, photo BLOB, bits BIT(8), yr YEAR, kind ENUM('a','b'), note TEXT) "
                        + "DEFAULT CHARSET=utf8mb4",
                "INSERT INTO items VALUES (1, " + values + ")",
                "CREATE TABLE many (id BIGINT PRIMARY KEY, v VARCHAR(20))",
                "INSERT INTO many SELECT seq, concat('v', seq) FROM seq_1_to_5000",
                "CREATE TABLE nokey (k VARCHAR(10), v INT)", "INSERT INTO nokey VALUES ('a', 1), ('b', 2)",
                "ANALYZE TABLE many");
        String file = """
                pipeline: psnapm
                source: {type: mariadb, host: 127.0.0.1, port: %d, user: %s, password: %s}
                snapshot: {threads: 2, chunkRows: 1000}
                objects: [{table: psnapm.items, topic: psnapm.items}, {table: psnapm.many, topic: psnapm.many}, {table: psnapm.nokey, topic: psnapm.nokey}]
                sink: {type: kafka, brokers: "%s"}
                """.formatted(maria.port(), MariaDb.USER, MariaDb.PASSWORD, kafka);
        try (RunningTributary t = new RunningTributary(file)) {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() ->
                    Json.json(t.get("/api/pipelines/psnapm")).at("/snapshot/completed").asBoolean());
            JsonNode snapshot = Json.json(t.get("/api/pipelines/psnapm")).at("/snapshot");
            assertEquals(5003, snapshot.path("rowsRead").asLong(), snapshot.toString());
            assertEquals("lock-free", snapshot.path("consistentStart").asText(), "no writer: the readers begin at one position unlocked");
            assertTrue(Files.exists(t.dir.resolve("data/psnapm/snapshot.done")));
            maria.execute("psnapm", "INSERT INTO items VALUES (2, " + values + ")", "UPDATE many SET v = 'changed' WHERE id = 4321");

            List<ConsumerRecord<String, String>> items = Topics.readUntil(kafka, "psnapm.items", r -> r.size() >= 2, Duration.ofSeconds(90));
            JsonNode read = items.stream().map(Json::json).filter(e -> e.path("op").asText().equals("r")).findFirst().orElseThrow();
            JsonNode created = items.stream().map(Json::json).filter(e -> e.path("op").asText().equals("c")).findFirst().orElseThrow();
            ObjectNode snapshotRow = ((ObjectNode) read.get("after").deepCopy());
            ObjectNode streamedRow = ((ObjectNode) created.get("after").deepCopy());
            snapshotRow.remove("id");
            streamedRow.remove("id");
            assertEquals(streamedRow, snapshotRow, "the snapshot's row is the binlog's row");
            assertEquals("mariadb", read.at("/source/connector").asText());
            assertEquals("psnapm", read.at("/source/db").asText());

            List<JsonNode> many = Topics.readUntil(kafka, "psnapm.many", r -> r.size() >= 5001, Duration.ofSeconds(60)).stream()
                    .map(Json::json).toList();
            assertEquals(5000, many.stream().filter(e -> e.path("op").asText().equals("r")).map(e -> e.at("/after/id").asLong()).distinct().count(),
                    "every key once in the snapshot");
            List<JsonNode> updates = many.stream().filter(e -> e.path("op").asText().equals("u")).toList();
            assertEquals(1, updates.size(), "the binlog's update, once");
            assertEquals("changed", updates.get(0).at("/after/v").asText());
            assertEquals(2, Topics.readAtLeast(kafka, "psnapm.nokey", 2, Duration.ofSeconds(30)).size(), "a table without a key is read whole");
        }
    }

    @Test
    void snapshotByKeyRangesThenBinlogWithoutGapOrOverlap() throws Exception {
        maria.createDatabase("psnapw");
        maria.execute("psnapw", "CREATE TABLE items (id INT PRIMARY KEY, n INT NOT NULL, v VARCHAR(40))",
                "INSERT INTO items SELECT seq, 0, concat('item ', seq) FROM seq_1_to_30000", "ANALYZE TABLE items");
        String pipeline = """
                pipeline: psnapw
                source: {type: mariadb, host: 127.0.0.1, port: %d, user: %s, password: %s}
                snapshot: {threads: 3, chunkRows: 2000}
                objects: [{table: psnapw.items, topic: psnapw.items}]
                sink: {type: kafka, brokers: "%s"}
                """.formatted(maria.port(), MariaDb.USER, MariaDb.PASSWORD, kafka);
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger changes = new AtomicInteger();
        Thread writer = new Thread(() -> {
            // updates, inserts and deletes from before the snapshot starts until after the binlog streams
            try (Connection c = maria.connect("psnapw"); Statement st = c.createStatement()) {
                int next = 30001;
                while (writing.get()) {
                    int id = ThreadLocalRandom.current().nextInt(1, next);
                    switch (changes.incrementAndGet() % 5) {
                        case 0 -> st.executeUpdate("INSERT INTO items VALUES (" + next++ + ", 1, 'new')");
                        case 1 -> st.executeUpdate("DELETE FROM items WHERE id = " + id);
                        default -> st.executeUpdate("UPDATE items SET n = n + 1, v = 'changed' WHERE id = " + id);
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "psnapw-writer");
        writer.start();
        try (RunningTributary t = new RunningTributary(Map.of("pipelines/p.yaml", pipeline))) {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() ->
                    Json.json(t.get("/api/pipelines/psnapw")).at("/snapshot/completed").asBoolean());
            JsonNode status = Json.json(t.get("/api/pipelines/psnapw"));
            assertEquals(3, status.at("/snapshot/threads").asInt(), status.toString());
            int during = changes.get();
            await().atMost(Duration.ofSeconds(60)).until(() -> changes.get() > during + 500); // the binlog streams with the writer
            writing.set(false);
            writer.join();

            Map<Integer, String> table = new TreeMap<>();
            try (Connection c = maria.connect("psnapw"); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT id, n, v FROM items")) {
                while (rs.next()) {
                    table.put(rs.getInt(1), rs.getInt(2) + "/" + rs.getString(3));
                }
            }
            Map<Integer, String> replayed = new TreeMap<>();
            int[] snapshotRows = {0};
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                replayed.clear();
                snapshotRows[0] = ParallelSnapshotIT.replay(Topics.readUntil(kafka, "psnapw.items", r -> false, Duration.ofSeconds(3)), replayed);
                return replayed.equals(table);
            });
            assertEquals(table, replayed, "the topic replayed is the table");
            assertTrue(snapshotRows[0] > 20_000 && snapshotRows[0] <= 30_000 + changes.get(), "snapshot rows: " + snapshotRows[0]);
            System.out.printf("mariadb parallel snapshot (%s): %,d snapshot rows in 3 connections, %,d concurrent changes; replay equals the table (%,d rows)%n",
                    status.at("/snapshot/consistentStart").asText(), snapshotRows[0], changes.get(), table.size());
        } finally {
            writing.set(false);
            writer.join();
        }
    }

    /**
     * The bean alone, as a hand-written route configures it from its endpoint's properties, with the lock-free begin
     * turned off: the readers begin under the global read lock, every row arrives once, the last batch is flagged, and
     * the position stored as the engine's offset is the server's binlog position of that moment with its GTID state.
     */
    @Test
    void underTheGlobalReadLockTheBeanStoresThePositionOfItsView() throws Exception {
        maria.createDatabase("psnapl");
        maria.execute("psnapl", "CREATE TABLE t (id BIGINT PRIMARY KEY, v VARCHAR(20))",
                "INSERT INTO t SELECT seq, concat('v', seq) FROM seq_1_to_3000", "ANALYZE TABLE t");
        java.nio.file.Path dir = Files.createTempDirectory("psnapl");
        java.util.Properties engine = new java.util.Properties();
        engine.setProperty("name", "psnapl");
        engine.setProperty("topic.prefix", "psnapl");
        engine.setProperty("connector.class", "io.debezium.connector.mariadb.MariaDbConnector");
        engine.setProperty("database.hostname", "127.0.0.1");
        engine.setProperty("database.port", String.valueOf(maria.port()));
        engine.setProperty("database.user", MariaDb.USER);
        engine.setProperty("database.password", MariaDb.PASSWORD);
        engine.setProperty("table.include.list", "psnapl\\.t");
        engine.setProperty("max.batch.size", "500");
        engine.setProperty("offset.storage.file.filename", dir.resolve("offsets.dat").toString());
        sources.binlog.BinlogParallelSnapshot snapshot = new sources.binlog.BinlogParallelSnapshot(2, 700, 1);
        snapshot.setLockFreeAttempts(0);
        snapshot.configure(engine);
        assertTrue(snapshot.needed());
        String before;
        try (Connection c = maria.connect("psnapl"); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT @@gtid_binlog_pos")) {
            rs.next();
            before = rs.getString(1);
        }
        java.util.Set<Object> ids = java.util.concurrent.ConcurrentHashMap.newKeySet();
        AtomicInteger lastFlags = new AtomicInteger();
        snapshot.run((batch, last) -> {
            batch.forEach(e -> assertTrue(ids.add(e.after().get("id")), "each row once: " + e.after()));
            lastFlags.addAndGet(last ? 1 : 0);
        });
        assertEquals(3000, ids.size());
        assertEquals(1, lastFlags.get(), "one last batch");
        assertEquals("global read lock", snapshot.progress().get("consistentStart"));
        assertTrue(!snapshot.needed() && Files.exists(dir.resolve("snapshot.done")));
        List<Map<String, Object>> offsets = AtomicFileOffsetStore.storedOffsets(dir.resolve("offsets.dat"));
        assertEquals(1, offsets.size(), offsets.toString());
        assertEquals(before, offsets.get(0).get("gtids"), "the view's GTID state: nothing was written since");
        assertTrue(String.valueOf(offsets.get(0).get("file")).startsWith("mysql-bin."), offsets.toString());
        snapshot.beforeStreaming(engine);
        assertEquals("recovery", engine.getProperty("snapshot.mode"), "no schema history yet: Debezium rebuilds it from the tables");
        testsupport.Dirs.delete(dir);
    }
}
