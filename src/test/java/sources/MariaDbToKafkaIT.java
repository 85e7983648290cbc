package sources;

import testsupport.TributaryJar;
import testsupport.PipelineStatus;
import testsupport.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import testsupport.MariaDb;
import testsupport.RunningTributary;
import testsupport.TestServers;
import testsupport.Topics;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MariaDB (binlog, Debezium's native MariaDB connector) → Kafka: every common MySQL type arrives as the same canonical
 * event, in the same envelope and value encoding, as a PostgreSQL change does.
 */
class MariaDbToKafkaIT {

    final MariaDb maria = TestServers.mariadb();
    final String kafka = TestServers.kafka().bootstrap();

    @Test
    void everyCommonTypeArrivesAsTheCanonicalEvent() throws Exception {
        maria.createDatabase("shop");
        maria.execute("shop",
                "CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(40) CHARACTER SET utf8mb4, price DECIMAL(12,2), ratio DOUBLE, "
                        + "score FLOAT, qty BIGINT, small SMALLINT, tiny TINYINT, flag BOOLEAN, created DATETIME(6), updated TIMESTAMP(6) NULL, "
                        + "day DATE, at_time TIME(6), attrs JSON, photo BLOB, bits BIT(8), yr YEAR, kind ENUM('a','b'), note TEXT) "
                        + "DEFAULT CHARSET=utf8mb4",
                "INSERT INTO items VALUES (1, '商品 一', 12.50, 0.1, 1.5, 9000000000, -3, 7, true, '2026-11-22 10:15:30.123456', "
                        + "'2026-11-22 10:15:30.5', '2026-11-22', '10:15:30.25', '{\"a\": [1, 2]}', x'010203', b'10100101', 2026, 'b', NULL)",
                "INSERT INTO items (id, name) VALUES (2, 'two')",
                // a table of the same database the pipeline does not select: its changes must neither stop nor reach it
                "CREATE TABLE audit (id INT PRIMARY KEY, what VARCHAR(40))", "INSERT INTO audit VALUES (1, 'before')");
        String file = """
                pipeline: maria-shop
                source: {type: mariadb, host: 127.0.0.1, port: %d, user: %s, password: %s}
                objects: [{table: shop.items, topic: maria.items}]
                sink: {type: kafka, brokers: "%s"}
                """.formatted(maria.port(), MariaDb.USER, MariaDb.PASSWORD, kafka);
        try (RunningTributary t = new RunningTributary(file)) {
            // RUNNING shows while the snapshot reads; the changes below must come after it (else it may rightly include them)
            await().atMost(Duration.ofSeconds(120)).until(() -> t.get("/api/pipelines/maria-shop").body().contains("\"completed\":true"));
            maria.execute("shop",
                    "INSERT INTO audit VALUES (2, 'unselected')", "UPDATE audit SET what = 'changed' WHERE id = 1",
                    "INSERT INTO items (id, name, price, created) VALUES (3, '新的', 0.05, '2026-01-01 00:00:00')",
                    "UPDATE items SET price = 13.75, name = '商品 改' WHERE id = 1",
                    "DELETE FROM items WHERE id = 2");
            List<ConsumerRecord<String, String>> records = Topics.readUntil(kafka, "maria.items", r -> r.size() >= 5, Duration.ofSeconds(120));
            Map<String, JsonNode> byOpAndId = records.stream().map(Json::json).collect(Collectors.toMap(
                    e -> e.get("op").asText() + (e.get("after").isNull() ? e.at("/before/id").asInt() : e.at("/after/id").asInt()), e -> e));
            assertEquals(5, records.size(), byOpAndId.keySet().toString());

            JsonNode read = byOpAndId.get("r1").get("after");
            assertEquals("商品 一", read.get("name").asText());
            assertEquals("12.50", read.get("price").decimalValue().toPlainString(), "decimals keep their scale");
            assertEquals(0.1, read.get("ratio").asDouble());
            assertEquals(1.5, read.get("score").asDouble());
            assertEquals(9_000_000_000L, read.get("qty").asLong());
            assertEquals(-3, read.get("small").asInt());
            assertEquals(7, read.get("tiny").asInt());
            assertTrue(read.get("flag").asBoolean() || read.get("flag").asInt() == 1, read.get("flag").toString());
            assertEquals("2026-11-22T10:15:30.123456", read.get("created").asText(), "DATETIME is wall-clock time, like timestamp");
            assertEquals("2026-11-22T10:15:30.500Z", read.get("updated").asText(), "TIMESTAMP is an instant, like timestamptz");
            assertEquals("2026-11-22", read.get("day").asText());
            assertEquals("10:15:30.25", read.get("at_time").asText());
            assertEquals("{\"a\": [1, 2]}", read.get("attrs").asText());
            assertEquals("AQID", read.get("photo").asText(), "bytes as Base64");
            assertEquals("pQ==", read.get("bits").asText(), "BIT(8) as bytes");
            assertEquals(2026, read.get("yr").asInt());
            assertEquals("b", read.get("kind").asText());
            assertTrue(read.get("note").isNull());

            JsonNode source = byOpAndId.get("r1").get("source");
            assertEquals("mariadb", source.get("connector").asText());
            assertEquals("shop", source.get("db").asText());
            assertEquals("items", source.get("table").asText());
            assertEquals("true", source.get("snapshot").asText().equals("last") ? "true" : source.get("snapshot").asText());

            assertEquals("0.05", byOpAndId.get("c3").at("/after/price").decimalValue().toPlainString());
            assertEquals("商品 改", byOpAndId.get("u1").at("/after/name").asText());
            assertEquals("商品 一", byOpAndId.get("u1").at("/before/name").asText(), "the binlog carries the whole old row");
            assertEquals("two", byOpAndId.get("d2").at("/before/name").asText());
            assertTrue(byOpAndId.get("d2").get("after").isNull());
            String status = t.get("/api/pipelines/maria-shop").body();
            assertTrue(status.contains("\"snapshot\":{\"running\":false,\"completed\":true,\"tables\":1,\"tablesRemaining\":0,\"rowsRead\":2}"),
                    "snapshot progress in the status: " + status);
            String key = records.stream().filter(r -> r.value().contains("\"op\":\"d\"")).findFirst().orElseThrow().key();
            assertEquals("{\"id\":2}", key, "the record key is the primary key, as for PostgreSQL");
        }
    }

    /** kill -9 of the JAR mid-stream, restart: every committed change is on the topic (the binlog position resumes). */
    @Test
    void killNineMidStreamLosesNothing() throws Exception {
        int rows = 20_000;
        maria.createDatabase("killdb");
        maria.execute("killdb", "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(40) NOT NULL)");
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("tributary-maria-kill");
        java.nio.file.Files.createDirectories(dir.resolve("pipelines"));
        java.nio.file.Files.writeString(dir.resolve("pipelines/p.yaml"), """
                pipeline: maria-kill
                source: {type: mariadb, host: 127.0.0.1, port: %d, user: %s, password: %s}
                mode: incremental
                objects: [{table: killdb.t, topic: maria.kill}]
                sink: {type: kafka, brokers: "%s"}
                """.formatted(maria.port(), MariaDb.USER, MariaDb.PASSWORD, kafka));
        int port = testsupport.KafkaBroker.freePort();
        Process first = TributaryJar.start(dir, port, "maria-first").process;
        Process second = null;
        try {
            PipelineStatus.awaitRunning(port, "maria-kill");
            java.util.concurrent.CompletableFuture<Void> writer = java.util.concurrent.CompletableFuture.runAsync(() -> {
                try (java.sql.Connection c = maria.connect("killdb");
                     java.sql.PreparedStatement insert = c.prepareStatement("INSERT INTO t VALUES (?, ?)")) {
                    for (int id = 1; id <= rows; id++) {
                        insert.setInt(1, id);
                        insert.setString(2, "row " + id);
                        insert.executeUpdate();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50)).until(() -> PipelineStatus.delivered(port, "maria-kill") >= 3_000);
            first.destroyForcibly();
            assertTrue(first.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
            second = TributaryJar.start(dir, port, "maria-second").process;
            PipelineStatus.awaitRunning(port, "maria-kill");
            writer.get(180, java.util.concurrent.TimeUnit.SECONDS);
            List<ConsumerRecord<String, String>> records = Topics.readUntil(kafka, "maria.kill",
                    r -> r.stream().map(x -> x.key()).distinct().count() >= rows, Duration.ofSeconds(180));
            long distinct = records.stream().map(ConsumerRecord::key).distinct().count();
            System.out.printf("mariadb kill -9 resume: %d rows inserted, %d records on the topic, %d distinct, lost %d, duplicates %d%n",
                    rows, records.size(), distinct, rows - distinct, records.size() - distinct);
            java.util.Set<String> keys = records.stream().map(ConsumerRecord::key).collect(Collectors.toSet());
            List<Integer> lost = java.util.stream.IntStream.rangeClosed(1, rows).filter(id -> !keys.contains("{\"id\":" + id + "}"))
                    .limit(20).boxed().toList();
            assertEquals(List.of(), lost, "lost changes (the first 20 ids)");
        } finally {
            first.destroyForcibly();
            if (second != null) {
                second.destroy();
                second.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
                second.destroyForcibly();
            }
            testsupport.Dirs.delete(dir);
        }
    }

    static String pipeline(String name, String mode, String table, String topic, String kafka, int port) {
        return """
                pipeline: %s
                source: {type: mariadb, host: 127.0.0.1, port: %d, user: %s, password: %s}
                mode: %s
                objects: [{table: %s, topic: %s}]
                sink: {type: kafka, brokers: "%s"}
                """.formatted(name, port, MariaDb.USER, MariaDb.PASSWORD, mode, table, topic, kafka);
    }

    /** Snapshot, then the binlog from the position read before it: writes made during the snapshot are all there. */
    @Test
    void snapshotAndStreamLeaveNoGapWhileTheDatabaseIsWritten() throws Exception {
        maria.createDatabase("gapdb");
        maria.execute("gapdb", "CREATE TABLE t (id INT PRIMARY KEY, n INT NOT NULL)",
                "INSERT INTO t SELECT seq, 0 FROM seq_1_to_20000");
        try (RunningTributary t = new RunningTributary(pipeline("maria-gap", "full-and-incremental", "gapdb.t", "maria.gap", kafka, maria.port()))) {
            try (java.sql.Connection c = maria.connect("gapdb"); java.sql.Statement st = c.createStatement()) {
                for (int i = 1; i <= 200; i++) {
                    st.execute("INSERT INTO t VALUES (" + (20000 + i) + ", " + i + ")");
                    st.execute("UPDATE t SET n = n + 1 WHERE id % 200 = " + (i % 200));
                }
            }
            Map<Integer, Integer> expected = new java.util.HashMap<>();
            try (java.sql.Connection c = maria.connect("gapdb"); java.sql.Statement st = c.createStatement();
                 java.sql.ResultSet rs = st.executeQuery("SELECT id, n FROM t")) {
                while (rs.next()) {
                    expected.put(rs.getInt(1), rs.getInt(2));
                }
            }
            Map<Integer, Integer> last = new java.util.HashMap<>();
            int[] seen = {0};
            Topics.readUntil(kafka, "maria.gap", records -> {
                for (ConsumerRecord<String, String> r : records.subList(seen[0], records.size())) {
                    JsonNode e = Json.json(r);
                    last.put(e.at("/after/id").asInt(), e.at("/after/n").asInt());
                }
                seen[0] = records.size();
                return last.equals(expected);
            }, Duration.ofSeconds(120));
            assertEquals(expected, last, "the last change of every row on the topic is the row as it is in the database");
        }
    }

    /** mode full: the snapshot, then SUCCESS, with exactly the table's rows. */
    @Test
    void modeFullEndsInSuccessWithExactlyTheRows() throws Exception {
        maria.createDatabase("fulldb");
        maria.execute("fulldb", "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(20))",
                "INSERT INTO t SELECT seq, CONCAT('v', seq) FROM seq_1_to_3000");
        try (RunningTributary t = new RunningTributary(pipeline("maria-full", "full", "fulldb.t", "maria.full", kafka, maria.port()))) {
            await().atMost(Duration.ofSeconds(120)).until(() -> t.get("/api/pipelines/maria-full").body().contains("\"state\":\"SUCCESS\""));
            maria.execute("fulldb", "INSERT INTO t VALUES (5000, 'after')");
            List<ConsumerRecord<String, String>> records = Topics.readUntil(kafka, "maria.full", r -> false, Duration.ofSeconds(3));
            assertEquals(3000, records.size());
            assertEquals(3000, records.stream().map(ConsumerRecord::key).distinct().count());
            assertTrue(records.stream().allMatch(r -> Json.json(r).get("op").asText().equals("r")), "snapshot rows only");
        }
    }

    /**
     * mode incremental from a past startTimestamp: Debezium cannot seek by time, so the pipeline starts at the binlog file
     * that holds the instant and drops that file's earlier changes; changes committed before the pipeline started, but
     * after the instant, are delivered.
     */
    @Test
    void startTimestampIsHonouredThroughTheBinlog() throws Exception {
        maria.createDatabase("tsdb");
        maria.execute("tsdb", "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(30))", "INSERT INTO t VALUES (1, 'old'), (2, 'old')",
                "FLUSH BINARY LOGS", "INSERT INTO t VALUES (3, 'same file, before')");
        Thread.sleep(1_500);
        java.time.Instant start = java.time.Instant.now();
        Thread.sleep(1_500);
        maria.execute("tsdb", "INSERT INTO t VALUES (4, 'after')", "UPDATE t SET v = 'changed' WHERE id = 1",
                "FLUSH BINARY LOGS", "INSERT INTO t VALUES (5, 'after, next file')");
        String file = pipeline("maria-ts", "incremental", "tsdb.t", "maria.ts", kafka, maria.port())
                .replace("mode: incremental", "mode: incremental\nstartTimestamp: \"" + start + "\"");
        try (RunningTributary t = new RunningTributary(file)) {
            await().atMost(Duration.ofSeconds(120)).until(() -> t.get("/api/pipelines/maria-ts").body().contains("\"state\":\"RUNNING\""));
            maria.execute("tsdb", "INSERT INTO t VALUES (6, 'live')");
            List<ConsumerRecord<String, String>> records = Topics.readUntil(kafka, "maria.ts", r -> r.size() >= 4, Duration.ofSeconds(60));
            List<String> seen = records.stream().map(Json::json)
                    .map(e -> e.get("op").asText() + e.at("/after/id").asInt()).toList();
            assertEquals(List.of("c4", "u1", "c5", "c6"), seen, "from the instant on, nothing before it");
            assertTrue(t.get("/api/pipelines/maria-ts").body().contains("\"filtered\":1"), "the earlier change of the file is skipped, counted");
        }
    }

    /**
     * Mode incremental, stopped before its first change: a change written while it was stopped arrives after the
     * restart — the position the pipeline started at is stored before the engine first runs (Debezium alone stores it
     * with the first change or heartbeat; this test failed so in a fresh clone).
     */
    @Test
    void stoppedBeforeItsFirstChangeMissesNothing() throws Exception {
        maria.createDatabase("holddb");
        maria.execute("holddb", "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(30))");
        try (RunningTributary t = new RunningTributary(pipeline("maria-hold", "incremental", "holddb.t", "maria.hold", kafka, maria.port()))) {
            await().atMost(Duration.ofSeconds(120)).until(() -> t.get("/api/pipelines/maria-hold").body().contains("\"state\":\"RUNNING\""));
            assertEquals(200, t.post("/api/pipelines/maria-hold/stop").statusCode());
            maria.execute("holddb", "INSERT INTO t VALUES (1, 'written while stopped')");
            assertEquals(200, t.post("/api/pipelines/maria-hold/start").statusCode());
            List<ConsumerRecord<String, String>> records = Topics.readAtLeast(kafka, "maria.hold", 1, Duration.ofSeconds(60));
            assertEquals(1, records.size());
            assertEquals("written while stopped", Json.json(records.get(0)).at("/after/v").asText());
        }
    }

    /** DROP TABLE then CREATE TABLE with other columns: the pipeline keeps running and the new table's rows flow. */
    @Test
    void dropAndCreateKeepThePipelineRunning() throws Exception {
        maria.createDatabase("ddldb");
        maria.execute("ddldb", "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(20))");
        try (RunningTributary t = new RunningTributary(pipeline("maria-ddl", "incremental", "ddldb.t", "maria.ddl", kafka, maria.port()))) {
            await().atMost(Duration.ofSeconds(120)).until(() -> t.get("/api/pipelines/maria-ddl").body().contains("\"state\":\"RUNNING\""));
            maria.execute("ddldb", "INSERT INTO t VALUES (1, 'first table')", "DROP TABLE t",
                    "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(20), extra DECIMAL(5,1))", "INSERT INTO t VALUES (2, 'second table', 1.5)");
            List<ConsumerRecord<String, String>> records = Topics.readUntil(kafka, "maria.ddl", r -> r.size() >= 2, Duration.ofSeconds(60));
            Map<Integer, JsonNode> byId = records.stream().map(Json::json)
                    .collect(Collectors.toMap(e -> e.at("/after/id").asInt(), e -> e.get("after")));
            assertEquals("first table", byId.get(1).get("v").asText());
            assertEquals("second table", byId.get(2).get("v").asText());
            assertEquals("1.5", byId.get(2).get("extra").decimalValue().toPlainString(), "the new table's columns");
            assertTrue(t.get("/api/pipelines/maria-ddl").body().contains("\"state\":\"RUNNING\""));
        }
    }

    /**
     * RENAME TABLE is followed: renamed to a name the objects select, the table's changes keep its destination; renamed
     * to one they do not, the rename is reported once and its changes are skipped. Both appear in the status notices.
     */
    @Test
    void renamesAreFollowed() throws Exception {
        maria.createDatabase("rndb");
        maria.execute("rndb", "CREATE TABLE orders (id INT PRIMARY KEY, v VARCHAR(20))");
        String file = pipeline("maria-rename", "incremental", "\"rndb.orders*\"", "\"maria.rn.{table}\"", kafka, maria.port());
        try (RunningTributary t = new RunningTributary(file)) {
            await().atMost(Duration.ofSeconds(120)).until(() -> t.get("/api/pipelines/maria-rename").body().contains("\"state\":\"RUNNING\""));
            maria.execute("rndb", "INSERT INTO orders VALUES (1, 'before')", "RENAME TABLE orders TO orders_v2",
                    "INSERT INTO orders_v2 VALUES (2, 'renamed')", "RENAME TABLE orders_v2 TO archive", "INSERT INTO archive VALUES (3, 'gone')",
                    "CREATE TABLE orders_new (id INT PRIMARY KEY, v VARCHAR(20))", "INSERT INTO orders_new VALUES (4, 'new table')");
            List<ConsumerRecord<String, String>> records = Topics.readUntil(kafka, "maria.rn.orders", r -> r.size() >= 2, Duration.ofSeconds(60));
            assertEquals(Set.of("before", "renamed"), records.stream().map(r -> Json.json(r).at("/after/v").asText())
                    .collect(Collectors.toSet()), "orders_v2 keeps orders' topic");
            assertEquals(1, Topics.readUntil(kafka, "maria.rn.orders_new", r -> r.size() >= 1, Duration.ofSeconds(60)).size(),
                    "a new table the pattern selects has its own destination");
            assertTrue(t.get("/api/pipelines/maria-rename").body()
                    .contains("rndb.orders was renamed to rndb.orders_v2: its changes keep going to rndb.orders's destination"));
            await().atMost(Duration.ofSeconds(30)).until(() -> t.get("/api/pipelines/maria-rename").body()
                    .contains("rndb.orders_v2 was renamed to rndb.archive, which no object selects: its changes are skipped"));
            assertEquals(2, Topics.readUntil(kafka, "maria.rn.orders", r -> false, Duration.ofSeconds(2)).size(), "archive's row is not read");
            assertTrue(t.get("/api/pipelines/maria-rename").body().contains("\"state\":\"RUNNING\""));
        }
    }
}
