package sources;

import testsupport.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import testsupport.Postgres;
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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code snapshot: {threads, chunkRows}}: a PostgreSQL snapshot read by several connections in one exported snapshot,
 * then the stream from the slot's consistent point — while a writer keeps changing the table. Replaying the topic
 * (snapshot rows, then the changes, in order per key) must give exactly the table's final contents.
 */
class ParallelSnapshotIT {

    final Postgres pg = TestServers.postgres();
    final String kafka = TestServers.kafka().bootstrap();

    @Test
    void snapshotByRangesThenStreamWithoutGapOrOverlap() throws Exception {
        pg.createDatabase("psnap");
        pg.execute("psnap", "CREATE TABLE items (id int PRIMARY KEY, n int NOT NULL, v text, price numeric(10,2), at timestamptz)",
                "INSERT INTO items SELECT g, 0, 'item ' || g, g / 100.0, now() FROM generate_series(1, 30000) g",
                "ANALYZE items");
        String pipeline = """
                pipeline: psnap
                source: {type: postgres, host: localhost, port: %d, database: psnap, user: postgres, password: pw}
                mode: full-and-incremental
                snapshot: {threads: 3, chunkRows: 2000}
                objects: [{table: public.items, topic: psnap.items}]
                sink: {type: kafka, brokers: "%s"}
                """.formatted(pg.port(), kafka);
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger changes = new AtomicInteger();
        Thread writer = new Thread(() -> {
            // updates, inserts and deletes from before the snapshot starts until after streaming runs
            try (Connection c = pg.connect("psnap"); Statement st = c.createStatement()) {
                int next = 30001;
                while (writing.get()) {
                    int id = ThreadLocalRandom.current().nextInt(1, next);
                    switch (changes.incrementAndGet() % 5) {
                        case 0 -> st.executeUpdate("INSERT INTO items VALUES (" + next++ + ", 1, 'new', 1.5, now())");
                        case 1 -> st.executeUpdate("DELETE FROM items WHERE id = " + id);
                        default -> st.executeUpdate("UPDATE items SET n = n + 1, v = 'changed' WHERE id = " + id);
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "psnap-writer");
        writer.start();
        try (RunningTributary t = new RunningTributary(Map.of("pipelines/p.yaml", pipeline))) {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() ->
                    Json.json(t.get("/api/pipelines/psnap")).at("/snapshot/completed").asBoolean());
            JsonNode status = Json.json(t.get("/api/pipelines/psnap"));
            assertEquals(3, status.at("/snapshot/threads").asInt(), status.toString());
            Thread.sleep(2000); // streaming goes on with the writer
            writing.set(false);
            writer.join();
            assertTrue(Files.exists(t.dir.resolve("data/psnap/snapshot.done")));

            Map<Integer, String> table = new TreeMap<>();
            try (Connection c = pg.connect("psnap"); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT id, n, v FROM items")) {
                while (rs.next()) {
                    table.put(rs.getInt(1), rs.getInt(2) + "/" + rs.getString(3));
                }
            }
            Map<Integer, String> replayed = new TreeMap<>();
            int[] snapshotRows = {0};
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                replayed.clear();
                snapshotRows[0] = replay(Topics.readUntil(kafka, "psnap.items", r -> false, Duration.ofSeconds(3)), replayed);
                return replayed.equals(table);
            });
            assertEquals(table, replayed, "the topic replayed is the table");
            assertTrue(snapshotRows[0] > 20_000 && snapshotRows[0] <= 30_000 + changes.get(), "snapshot rows: " + snapshotRows[0]);
            System.out.printf("parallel snapshot: %,d snapshot rows in 3 connections, %,d concurrent changes; replay equals the table (%,d rows)%n",
                    snapshotRows[0], changes.get(), table.size());
        } finally {
            writing.set(false);
            writer.join();
        }
    }

    @Test
    void modeFullEndsInSuccessAndIsNotTakenTwice() throws Exception {
        pg.createDatabase("psnapfull");
        pg.execute("psnapfull", "CREATE TABLE a (id int PRIMARY KEY, v text)", "CREATE TABLE b (k text, v int)", // b: no key
                "INSERT INTO a SELECT g, 'a' || g FROM generate_series(1, 5000) g", "INSERT INTO b SELECT 'k' || g, g FROM generate_series(1, 700) g");
        String pipeline = """
                pipeline: psnapfull
                source: {type: postgres, host: localhost, port: %d, database: psnapfull, user: postgres, password: pw}
                mode: full
                snapshot: {threads: 2, chunkRows: 1000}
                objects: [{table: public.a, topic: psnapfull.a}, {table: public.b, topic: psnapfull.b}]
                sink: {type: kafka, brokers: "%s"}
                """.formatted(pg.port(), kafka);
        try (RunningTributary t = new RunningTributary(Map.of("pipelines/p.yaml", pipeline))) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() ->
                    "SUCCESS".equals(Json.json(t.get("/api/pipelines/psnapfull")).path("state").asText()));
            assertEquals(5000, distinctKeys(Topics.readAtLeast(kafka, "psnapfull.a", 5000, Duration.ofSeconds(30))));
            assertEquals(700, Topics.readAtLeast(kafka, "psnapfull.b", 700, Duration.ofSeconds(30)).size());
            // started again: the marker says the snapshot was taken, nothing is read twice
            assertEquals(200, t.post("/api/pipelines/psnapfull/start").statusCode());
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() ->
                    "SUCCESS".equals(Json.json(t.get("/api/pipelines/psnapfull")).path("state").asText()));
            Thread.sleep(1000);
            assertEquals(5000, Topics.readUntil(kafka, "psnapfull.a", r -> false, Duration.ofSeconds(2)).size());
        }
    }

    /**
     * Kafka away during a snapshot that keeps two batches in flight: the pipeline fails and writes no marker; with Kafka
     * given (PUT), the snapshot is taken again, whole.
     */
    @Test
    void aSinkOutageFailsTheSnapshotAndTheRetakeLosesNothing() throws Exception {
        pg.createDatabase("psnapout");
        pg.execute("psnapout", "CREATE TABLE a (id int PRIMARY KEY, v text)",
                "INSERT INTO a SELECT g, 'a' || g FROM generate_series(1, 6000) g", "ANALYZE a");
        String pipeline = """
                pipeline: psnapout
                source: {type: postgres, host: localhost, port: %d, database: psnapout, user: postgres, password: pw}
                mode: full
                snapshot: {threads: 2, chunkRows: 1000}
                batch: {maxEvents: 500}
                errors: {retries: 1, retryDelayMs: 100}
                objects: [{table: public.a, topic: psnapout.a}]
                sink: {type: kafka, brokers: "%s"}
                """;
        String away = pipeline.formatted(pg.port(), "127.0.0.1:" + testsupport.KafkaBroker.freePort());
        try (RunningTributary t = new RunningTributary(Map.of("pipelines/p.yaml", away))) {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() ->
                    "FAILED".equals(Json.json(t.get("/api/pipelines/psnapout")).path("state").asText()));
            assertFalse(Files.exists(t.dir.resolve("data/psnapout/snapshot.done")), "a failed snapshot is not marked taken");

            var updated = t.request("PUT", "/api/pipelines/psnapout", pipeline.formatted(pg.port(), kafka));
            assertEquals(200, updated.statusCode(), updated.body());
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() ->
                    "SUCCESS".equals(Json.json(t.get("/api/pipelines/psnapout")).path("state").asText()));
            assertTrue(Files.exists(t.dir.resolve("data/psnapout/snapshot.done")));
            assertEquals(6000, distinctKeys(Topics.readAtLeast(kafka, "psnapout.a", 6000, Duration.ofSeconds(30))));
        }
    }

    static long distinctKeys(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(ConsumerRecord::key).distinct().count();
    }

    /** Applies the records in topic order per key (Debezium envelope); returns how many were snapshot reads. */
    static int replay(List<ConsumerRecord<String, String>> records, Map<Integer, String> state) throws Exception {
        int reads = 0;
        records.sort((x, y) -> x.partition() != y.partition() ? Integer.compare(x.partition(), y.partition()) : Long.compare(x.offset(), y.offset()));
        for (ConsumerRecord<String, String> r : records) {
            JsonNode e = Json.MAPPER.readTree(r.value());
            e = e.has("payload") ? e.get("payload") : e;
            String op = e.path("op").asText();
            JsonNode row = op.equals("d") ? e.path("before") : e.path("after");
            int id = row.path("id").asInt();
            if (op.equals("d")) {
                state.remove(id);
            } else {
                state.put(id, row.path("n").asInt() + "/" + row.path("v").asText());
            }
            reads += op.equals("r") ? 1 : 0;
        }
        return reads;
    }
}
