package sinks;

import testsupport.PipelineFiles;
import testsupport.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import testsupport.Postgres;
import testsupport.RunningTributary;
import testsupport.TestServers;
import testsupport.Topics;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A pipeline file, a real PostgreSQL and a real Kafka: what arrives on the topic is what happened in the database. */
class PostgresToKafkaIT {

    final Postgres pg = TestServers.postgres();
    final String kafka = TestServers.kafka().bootstrap();

    void awaitState(RunningTributary t, String name, String state) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            HttpResponse<String> r = t.get("/api/pipelines/" + name);
            return r.statusCode() == 200 && state.equals(Json.MAPPER.readTree(r.body()).path("state").asText());
        });
    }

    @Test
    void snapshotThenStreamCarriesEveryTypeAndOperation() throws Exception {
        pg.createDatabase("shop1");
        pg.execute("shop1",
                "CREATE TABLE items (region text NOT NULL, id int NOT NULL, name text NOT NULL, price numeric(12,2), "
                        + "ratio double precision, qty bigint NOT NULL DEFAULT 0, active boolean, created timestamp(6), "
                        + "created_tz timestamptz, day date, photo bytea, attrs jsonb, uid uuid, PRIMARY KEY (region, id))",
                "INSERT INTO items VALUES ('eu', 1, 'Ünïcode 中文', 1234567890.12, 0.5, 7, true, '2026-11-21 10:15:30.123456', "
                        + "'2026-11-21 10:15:30+02', '2026-11-21', '\\x00ff10', '{\"a\": [1, 2]}', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11')",
                "INSERT INTO items (region, id, name) VALUES ('us', 2, 'nulls')");
        try (RunningTributary t = new RunningTributary(PipelineFiles.postgresToKafka("shop1-items", "shop1", pg.port(), "full-and-incremental", "public.items", "shop1.items"))) {
            awaitState(t, "shop1-items", "RUNNING");
            // snapshot rows first, then these changes in commit order
            pg.execute("shop1",
                    "INSERT INTO items (region, id, name, price) VALUES ('eu', 3, 'new', 0.01)",
                    "UPDATE items SET price = 99.90, name = 'changed' WHERE region = 'eu' AND id = 1",
                    "DELETE FROM items WHERE region = 'us' AND id = 2");
            List<ConsumerRecord<String, String>> records = Topics.readAtLeast(kafka, "shop1.items", 5, Duration.ofSeconds(60));
            assertEquals(5, records.size(), "2 snapshot rows + insert + update + delete");
            Map<String, List<JsonNode>> byKey = records.stream().collect(Collectors.groupingBy(ConsumerRecord::key,
                    Collectors.mapping(Json::json, Collectors.toList())));

            List<JsonNode> eu1 = byKey.get("{\"region\":\"eu\",\"id\":1}");
            assertEquals(List.of("r", "u"), eu1.stream().map(n -> n.get("op").asText()).toList(), "per-key order");
            JsonNode row = eu1.get(0).get("after");
            assertEquals("Ünïcode 中文", row.get("name").asText());
            assertEquals("1234567890.12", row.get("price").toString(), "decimal exact, as a JSON number");
            assertEquals(0.5, row.get("ratio").asDouble());
            assertEquals(7, row.get("qty").asLong());
            assertTrue(row.get("active").asBoolean());
            assertEquals("2026-11-21T10:15:30.123456", row.get("created").asText());
            assertEquals("2026-11-21T08:15:30Z", row.get("created_tz").asText());
            assertEquals("2026-11-21", row.get("day").asText());
            assertEquals("AP8Q", row.get("photo").asText(), "bytes as Base64");
            assertEquals("{\"a\": [1, 2]}", row.get("attrs").asText());
            assertEquals("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", row.get("uid").asText());
            JsonNode source = eu1.get(0).get("source");
            assertEquals("true", source.get("snapshot").asText());
            assertEquals("shop1", source.get("db").asText());
            assertEquals("public", source.get("schema").asText());
            assertEquals("items", source.get("table").asText());

            JsonNode update = eu1.get(1);
            assertEquals("99.90", update.get("after").get("price").toString());
            assertEquals("changed", update.get("after").get("name").asText());
            assertTrue(update.get("before").isNull(), "REPLICA IDENTITY DEFAULT: no before image on update");
            assertEquals("false", update.get("source").get("snapshot").asText());
            assertTrue(update.get("source").get("lsn").isNumber());
            assertTrue(update.get("source").get("txId").isNumber());

            List<JsonNode> us2 = byKey.get("{\"region\":\"us\",\"id\":2}");
            assertEquals(List.of("r", "d"), us2.stream().map(n -> n.get("op").asText()).toList());
            assertTrue(us2.get(0).get("after").get("price").isNull(), "NULL stays null");
            JsonNode delete = us2.get(1);
            assertTrue(delete.get("after").isNull());
            assertEquals(Map.of("region", "us", "id", 2), Json.MAPPER.convertValue(delete.get("before"), Map.class),
                    "a key-only delete carries the key, never placeholder values");

            assertEquals("c", byKey.get("{\"region\":\"eu\",\"id\":3}").get(0).get("op").asText());
            assertEquals("0.01", byKey.get("{\"region\":\"eu\",\"id\":3}").get(0).get("after").get("price").toString());

            // the status shows the flow and never the password
            HttpResponse<String> status = t.get("/api/pipelines/shop1-items");
            JsonNode s = Json.MAPPER.readTree(status.body());
            assertEquals(5, s.at("/events/out").asLong());
            assertFalse(status.body().contains("s3cret-Pw"), status.body());
            assertFalse(t.get("/api/pipelines").body().contains("s3cret-Pw"));
        }
    }

    @Test
    void snapshotAndStreamLeaveNoGapWhileTheDatabaseIsWritten() throws Exception {
        pg.createDatabase("shop7");
        pg.execute("shop7", "CREATE TABLE t (id int PRIMARY KEY, n int NOT NULL)",
                "INSERT INTO t SELECT g, 0 FROM generate_series(1, 20000) g");
        try (RunningTributary t = new RunningTributary(PipelineFiles.postgresToKafka("shop7", "shop7", pg.port(), "full-and-incremental", "public.t", "shop7.t"))) {
            // writes during and after the snapshot: new rows, and updates of rows the snapshot may already have read
            try (Connection c = pg.connect("shop7"); Statement st = c.createStatement()) {
                for (int i = 1; i <= 200; i++) {
                    st.execute("INSERT INTO t VALUES (" + (20000 + i) + ", " + i + ")");
                    st.execute("UPDATE t SET n = n + 1 WHERE id % 200 = " + (i % 200));
                }
            }
            Map<Integer, Integer> expected = new java.util.HashMap<>();
            try (Connection c = pg.connect("shop7"); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id, n FROM t")) {
                while (rs.next()) {
                    expected.put(rs.getInt(1), rs.getInt(2));
                }
            }
            Map<Integer, Integer> last = new java.util.HashMap<>();
            int[] lastSeen = {0};
            Topics.readUntil(kafka, "shop7.t", records -> {
                for (ConsumerRecord<String, String> r : records.subList(lastSeen[0], records.size())) {
                    JsonNode e = Json.json(r);
                    last.put(e.at("/after/id").asInt(), e.at("/after/n").asInt()); // per key, topic order is commit order
                }
                lastSeen[0] = records.size();
                return last.equals(expected);
            }, Duration.ofSeconds(90));
            assertEquals(expected.size(), last.size(), "every row reached the topic");
            assertEquals(expected, last, "the last change of every row on the topic is the row as it is in the database");
        }
    }

    /**
     * A first start that ended after the slot was created and before anything was committed (a cluster node that handed
     * the pipeline over, a crash) leaves a slot whose consistent point is older than the snapshot taken at the next
     * start, while the table is being written. Snapshot and stream must still meet at one point: each row's snapshot
     * value, then every later change once — none of the changes the snapshot already holds a second time, none lost.
     */
    @Test
    void aSlotLeftByAnUnfinishedFirstStartStillMeetsTheSnapshotExactly() throws Exception {
        slotLeftByAnUnfinishedFirstStart("shop9", false);
    }

    /** The same from the pipeline's exported Camel route (its start check a bean of the route). */
    @Test
    void aSlotLeftByAnUnfinishedFirstStartStillMeetsTheSnapshotExactlyInAnExportedRoute() throws Exception {
        slotLeftByAnUnfinishedFirstStart("shop10", true);
    }

    private void slotLeftByAnUnfinishedFirstStart(String name, boolean asRoute) throws Exception {
        int keys = 20;
        pg.createDatabase(name);
        pg.execute(name, "CREATE TABLE t (id int PRIMARY KEY, n int NOT NULL)", "INSERT INTO t SELECT g, 0 FROM generate_series(1, " + keys + ") g",
                "CREATE PUBLICATION tributary_" + name + " FOR TABLE t",
                "SELECT pg_create_logical_replication_slot('tributary_" + name + "', 'pgoutput')",
                "UPDATE t SET n = n + 1");
        java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.CompletableFuture<Void> writer = java.util.concurrent.CompletableFuture.runAsync(() -> {
            try (Connection c = pg.connect(name); Statement st = c.createStatement()) {
                while (writing.get()) { // one change per transaction, throughout the start and the snapshot
                    st.executeUpdate("UPDATE t SET n = n + 1 WHERE id = " + (1 + java.util.concurrent.ThreadLocalRandom.current().nextInt(keys)));
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        String file = PipelineFiles.postgresToKafka(name, name, pg.port(), "full-and-incremental", "public.t", name + ".t");
        Map<String, String> files = Map.of("pipelines/" + name + ".yaml", file);
        if (asRoute) {
            java.nio.file.Path export = java.nio.file.Files.createTempDirectory("tributary-export");
            java.nio.file.Files.writeString(export.resolve(name + ".yaml"), file);
            files = Map.of("routes/" + name + ".camel.yaml", routes.PipelineExport.export(export.resolve(name + ".yaml"), export.resolve("data")),
                    "application.properties", name + ".source.password=s3cret-Pw\n");
        }
        try (RunningTributary t = new RunningTributary(files)) {
            if (!asRoute) {
                awaitState(t, name, "RUNNING");
            }
            Topics.readAtLeast(kafka, name + ".t", keys + 100, Duration.ofSeconds(60));
            writing.set(false);
            writer.get();
            Map<Integer, Integer> expected = new java.util.HashMap<>();
            try (Connection c = pg.connect(name); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id, n FROM t")) {
                while (rs.next()) {
                    expected.put(rs.getInt(1), rs.getInt(2));
                }
            }
            Map<Integer, List<Integer>> byKey = new java.util.TreeMap<>();
            Topics.readUntil(kafka, name + ".t", records -> {
                byKey.clear();
                records.forEach(r -> byKey.computeIfAbsent(Json.json(r).at("/after/id").asInt(), k -> new java.util.ArrayList<>())
                        .add(Json.json(r).at("/after/n").asInt()));
                return byKey.entrySet().stream().allMatch(e -> e.getValue().get(e.getValue().size() - 1).equals(expected.get(e.getKey())))
                        && byKey.size() == keys;
            }, Duration.ofSeconds(60));
            byKey.forEach((key, values) -> {
                for (int i = 1; i < values.size(); i++) {
                    assertEquals(values.get(i - 1) + 1, values.get(i), "key " + key + ", change " + i + " after its snapshot row "
                            + values.get(0) + ": " + values.subList(0, Math.min(values.size(), 8)) + "…");
                }
            });
        } finally {
            writing.set(false);
        }
    }

    @Test
    void everyRowsChangesArriveInCommitOrder() throws Exception {
        pg.createDatabase("shop8");
        pg.execute("shop8", "CREATE TABLE t (id int PRIMARY KEY, n int NOT NULL)", "INSERT INTO t SELECT g, 0 FROM generate_series(1, 50) g");
        try (RunningTributary t = new RunningTributary(PipelineFiles.postgresToKafka("shop8", "shop8", pg.port(), "incremental", "public.t", "shop8.t"))) {
            awaitState(t, "shop8", "RUNNING");
            try (Connection c = pg.connect("shop8"); Statement st = c.createStatement()) {
                for (int round = 1; round <= 100; round++) {
                    st.execute("UPDATE t SET n = " + round + " WHERE id % 2 = " + (round % 2)); // half the rows per transaction
                    st.execute("UPDATE t SET n = " + round + " WHERE id % 2 = " + ((round + 1) % 2));
                }
            }
            List<ConsumerRecord<String, String>> records = Topics.readAtLeast(kafka, "shop8.t", 50 * 100, Duration.ofSeconds(60));
            Map<String, List<Integer>> byKey = records.stream().collect(Collectors.groupingBy(ConsumerRecord::key,
                    Collectors.mapping(r -> Json.json(r).at("/after/n").asInt(), Collectors.toList())));
            List<Integer> inOrder = java.util.stream.IntStream.rangeClosed(1, 100).boxed().toList();
            assertEquals(50, byKey.size());
            byKey.forEach((key, values) -> assertEquals(inOrder, values, "changes of " + key));
        }
    }

    @Test
    void fullReplicaIdentityDeletesCarryTheWholeRow() throws Exception {
        pg.createDatabase("shop2");
        pg.execute("shop2", "CREATE TABLE t (id int PRIMARY KEY, name text NOT NULL, n int NOT NULL)",
                "ALTER TABLE t REPLICA IDENTITY FULL", "INSERT INTO t VALUES (1, 'one', 11)");
        try (RunningTributary t = new RunningTributary(PipelineFiles.postgresToKafka("shop2", "shop2", pg.port(), "incremental", "public.t", "shop2.t"))) {
            awaitState(t, "shop2", "RUNNING");
            pg.execute("shop2", "UPDATE t SET n = 12 WHERE id = 1", "DELETE FROM t WHERE id = 1");
            List<ConsumerRecord<String, String>> records = Topics.readAtLeast(kafka, "shop2.t", 2, Duration.ofSeconds(60));
            assertEquals(List.of("u", "d"), records.stream().map(r -> Json.json(r).get("op").asText()).toList(),
                    "incremental: no snapshot rows");
            assertEquals(11, Json.json(records.get(0)).get("before").get("n").asInt());
            JsonNode before = Json.json(records.get(1)).get("before");
            assertEquals("one", before.get("name").asText());
            assertEquals(12, before.get("n").asInt());
        }
    }

    @Test
    void fullModeEndsWithSuccessAfterTheSnapshot() throws Exception {
        pg.createDatabase("shop3");
        pg.execute("shop3", "CREATE TABLE a (id int PRIMARY KEY, v text)", "CREATE TABLE b (id int PRIMARY KEY, v text)",
                "INSERT INTO a SELECT g, 'a' || g FROM generate_series(1, 300) g",
                "INSERT INTO b SELECT g, 'b' || g FROM generate_series(1, 200) g");
        try (RunningTributary t = new RunningTributary(PipelineFiles.postgresToKafka("shop3", "shop3", pg.port(), "full", "public.*", "shop3.{table}"))) {
            awaitState(t, "shop3", "SUCCESS");
            assertEquals(300, Topics.readAtLeast(kafka, "shop3.a", 300, Duration.ofSeconds(30)).size());
            assertEquals(200, Topics.readAtLeast(kafka, "shop3.b", 200, Duration.ofSeconds(30)).size());
            pg.execute("shop3", "INSERT INTO a VALUES (1000, 'after the snapshot')");
            assertEquals(300, Topics.readUntil(kafka, "shop3.a", r -> false, Duration.ofSeconds(3)).size(),
                    "full mode does not stream");
        }
    }

    @Test
    void fullModeOnEmptyTablesEndsWithSuccessToo() throws Exception {
        pg.createDatabase("shop6");
        pg.execute("shop6", "CREATE TABLE empty (id int PRIMARY KEY)");
        try (RunningTributary t = new RunningTributary(PipelineFiles.postgresToKafka("shop6", "shop6", pg.port(), "full", "public.empty", "shop6.empty"))) {
            awaitState(t, "shop6", "SUCCESS");
        }
    }

    @Test
    void stopAndStartOverRestResumesWithoutLoss() throws Exception {
        pg.createDatabase("shop4");
        pg.execute("shop4", "CREATE TABLE t (id int PRIMARY KEY)");
        try (RunningTributary t = new RunningTributary(PipelineFiles.postgresToKafka("shop4", "shop4", pg.port(), "incremental", "public.t", "shop4.t"))) {
            awaitState(t, "shop4", "RUNNING");
            pg.execute("shop4", "INSERT INTO t SELECT generate_series(1, 100)");
            assertEquals(100, Topics.readAtLeast(kafka, "shop4.t", 100, Duration.ofSeconds(30)).size());
            assertEquals(200, t.post("/api/pipelines/shop4/stop").statusCode());
            awaitState(t, "shop4", "STOPPED");
            pg.execute("shop4", "INSERT INTO t SELECT generate_series(101, 150)");
            assertEquals(200, t.post("/api/pipelines/shop4/start").statusCode());
            awaitState(t, "shop4", "RUNNING");
            List<ConsumerRecord<String, String>> all = Topics.readAtLeast(kafka, "shop4.t", 150, Duration.ofSeconds(30));
            assertEquals(150, all.stream().map(ConsumerRecord::key).distinct().count(), "every row, changed while stopped too");
            assertEquals(150, all.size(), "a stop over REST is graceful: nothing delivered twice");
            assertEquals(404, t.get("/api/pipelines/nope").statusCode());
            assertEquals(200, t.get("/api/health").statusCode());
        }
    }

    @Test
    void unreachableKafkaFailsThePipelineWithoutCommitting() throws Exception {
        pg.createDatabase("shop5");
        pg.execute("shop5", "CREATE TABLE t (id int PRIMARY KEY)");
        String file = PipelineFiles.postgresToKafka("shop5", "shop5", pg.port(), "incremental", "public.t", "shop5.t")
                .replace(kafka, "127.0.0.1:" + testsupport.KafkaBroker.freePort())
                .replace("errors: {retries: 3, retryDelayMs: 200}", "errors: {retries: 1, retryDelayMs: 100}");
        try (RunningTributary t = new RunningTributary(file)) {
            awaitState(t, "shop5", "RUNNING");
            pg.execute("shop5", "INSERT INTO t VALUES (1)");
            awaitState(t, "shop5", "FAILED");
            JsonNode s = Json.MAPPER.readTree(t.get("/api/pipelines/shop5").body());
            assertTrue(s.at("/errors/count").asLong() >= 1, s.toString());
            assertTrue(s.at("/engine/changesCommitted").asLong() == 0, "nothing committed: " + s);
            assertNull(null);
            assertEquals(503, t.get("/api/health").statusCode());
        }
    }

    /** publicationScope: schemas — DROP TABLE then CREATE TABLE: the pipeline keeps running and the new table's rows flow. */
    @Test
    void aDroppedAndRecreatedTableGoesOnFlowing() throws Exception {
        pg.createDatabase("shopddl");
        pg.execute("shopddl", "CREATE TABLE t (id int PRIMARY KEY, v text)");
        String file = PipelineFiles.postgresToKafka("shopddl", "shopddl", pg.port(), "incremental", "public.t", "shopddl.t")
                .replace("password: \"s3cret-Pw\"}", "password: \"s3cret-Pw\", publicationScope: schemas}");
        try (RunningTributary t = new RunningTributary(file)) {
            awaitState(t, "shopddl", "RUNNING");
            pg.execute("shopddl", "INSERT INTO t VALUES (1, 'first table')", "DROP TABLE t",
                    "CREATE TABLE t (id int PRIMARY KEY, v text, extra numeric(5,1))", "INSERT INTO t VALUES (2, 'second table', 1.5)");
            List<ConsumerRecord<String, String>> records = Topics.readAtLeast(kafka, "shopddl.t", 2, Duration.ofSeconds(60));
            Map<Integer, JsonNode> byId = records.stream().map(Json::json)
                    .collect(Collectors.toMap(e -> e.at("/after/id").asInt(), e -> e.get("after")));
            assertEquals("first table", byId.get(1).get("v").asText());
            assertEquals("second table", byId.get(2).get("v").asText());
            assertEquals("1.5", byId.get(2).get("extra").decimalValue().toPlainString(), "the new table's columns");
            awaitState(t, "shopddl", "RUNNING");
        }
    }
}
