package sinks;

import testsupport.Json;
import testsupport.Cli;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import testsupport.Postgres;
import testsupport.RunningTributary;
import testsupport.TestServers;
import testsupport.Topics;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Poison data into Kafka: a change whose record Kafka refuses for good (above {@code max.request.size}) goes to the
 * pipeline's dead letters with its cause and coordinates, is counted, and the pipeline goes on with the changes after
 * it. After the operator raised the limit, a replay (REST, CLI) delivers it.
 */
class DeadLetterIT {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aRecordKafkaRefusesIsDeadLetteredAndReplayedAfterTheFix() throws Exception {
        Postgres pg = TestServers.postgres();
        String kafka = TestServers.kafka().bootstrap();
        pg.createDatabase("poisondb");
        pg.execute("poisondb", "CREATE TABLE t (id int PRIMARY KEY, v text NOT NULL)");
        String pipeline = """
                pipeline: poison
                source: {type: postgres, host: localhost, port: %d, database: poisondb, user: postgres, password: pw}
                mode: incremental
                objects: [{table: public.t, topic: poison.t}]
                sink: {type: kafka, brokers: "%s"%s}
                """;
        try (RunningTributary t = new RunningTributary(pipeline.formatted(pg.port(), kafka, ", options: {maxRequestSize: 100000}"))) {
            await().atMost(Duration.ofSeconds(90)).until(() -> t.get("/api/pipelines/poison").body().contains("\"state\":\"RUNNING\""));
            for (int id = 1; id <= 10; id++) {
                String v = id == 6 ? "x".repeat(200_000) : "row " + id;
                pg.execute("poisondb", "INSERT INTO t VALUES (" + id + ", '" + v + "')");
            }
            List<Integer> ids = ids(Topics.readAtLeast(kafka, "poison.t", 9, Duration.ofSeconds(60)));
            assertEquals(List.of(1, 2, 3, 4, 5, 7, 8, 9, 10), ids.stream().sorted().toList(), "the changes around the refused one are delivered");
            // the records after it may be on the topic a moment before the batch has kept it
            await().atMost(Duration.ofSeconds(30)).until(() -> JSON.readTree(t.get("/api/pipelines/poison").body()).at("/events/deadLettered").asInt() == 1);
            assertEquals("RUNNING", JSON.readTree(t.get("/api/pipelines/poison").body()).path("state").asText());
            JsonNode letters = JSON.readTree(t.get("/api/pipelines/poison/dead-letters").body());
            assertEquals(1, letters.path("count").asInt());
            JsonNode letter = letters.path("letters").get(0);
            assertEquals("public.t", letter.path("table").asText());
            assertEquals("c", letter.path("op").asText());
            assertEquals("poison.t", letter.path("destination").asText());
            assertTrue(letter.path("changeId").asText().endsWith(":[6]"), letter.toString());
            assertTrue(letter.path("cause").asText().startsWith("RecordTooLargeException"), letter.toString());
            assertTrue(letter.path("valueBytes").asInt() > 200_000);
            assertTrue(t.get("/metrics").body().contains("dead_lettered"), "counted in /metrics");

            // the limit still stands: the replay is refused again and the letter stays
            JsonNode again = JSON.readTree(t.post("/api/pipelines/poison/dead-letters/replay").body());
            assertEquals(0, again.path("replayed").asInt());
            assertEquals(1, again.path("remaining").asInt());

            // the operator raises the limit; the replay (from the command-line client) delivers it
            assertEquals(200, t.request("PUT", "/api/pipelines/poison", pipeline.formatted(pg.port(), kafka, "")).statusCode());
            await().atMost(Duration.ofSeconds(90)).until(() -> t.get("/api/pipelines/poison").body().contains("\"state\":\"RUNNING\""));
            Cli.Run listed = Cli.run("pipelines", "dead-letters", "poison", "--server", "http://127.0.0.1:" + t.port);
            assertEquals(0, listed.exit());
            assertTrue(listed.out().contains("RecordTooLargeException") && listed.out().contains("public.t"), listed.out());
            Cli.Run replay = Cli.run("pipelines", "replay", "poison", "--server", "http://127.0.0.1:" + t.port);
            assertEquals(0, replay.exit(), replay.out() + replay.err());
            assertTrue(replay.out().contains("1 replayed, 0 remaining"), replay.out());
            List<Integer> all = ids(Topics.readAtLeast(kafka, "poison.t", 10, Duration.ofSeconds(30)));
            assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), all.stream().sorted().toList());
            assertEquals(0, JSON.readTree(t.get("/api/pipelines/poison/dead-letters").body()).path("count").asInt());
        }
    }

    /**
     * PostgreSQL's {@code TIME '24:00:00'} is no time of day: it flows as its text (it stalled every pipeline before),
     * and a Parquet file's time column cannot hold that text — the change is a dead letter, the others are in the files.
     */
    @Test
    void aValueTheParquetSchemaCannotHoldIsDeadLettered() throws Exception {
        Postgres pg = TestServers.postgres();
        testsupport.Hdfs hdfs = TestServers.hdfs();
        pg.createDatabase("poisonh");
        pg.execute("poisonh", "CREATE TABLE t (id int PRIMARY KEY, at timestamp, tm time)");
        String pipeline = """
                pipeline: poisonh
                source: {type: postgres, host: localhost, port: %d, database: poisonh, user: postgres, password: pw}
                mode: incremental
                objects: [{table: public.t, path: t}]
                sink: {type: hdfs, uri: "%s", path: /poisonh, fileFormat: parquet, partition: "", rollAgeMs: 1000}
                """.formatted(pg.port(), hdfs.uri());
        try (RunningTributary t = new RunningTributary(pipeline)) {
            await().atMost(Duration.ofSeconds(90)).until(() -> t.get("/api/pipelines/poisonh").body().contains("\"state\":\"RUNNING\""));
            pg.execute("poisonh", "INSERT INTO t VALUES (1, '2026-01-01 10:00', '10:00')", "INSERT INTO t VALUES (2, 'infinity', '11:00')",
                    "INSERT INTO t VALUES (3, '2026-01-01 10:00', '24:00:00')", "INSERT INTO t VALUES (4, '2026-01-01 10:00', '23:59:59.5')");
            await().atMost(Duration.ofSeconds(60)).until(() -> JSON.readTree(t.get("/api/pipelines/poisonh").body()).at("/events/out").asInt() == 4);
            JsonNode status = JSON.readTree(t.get("/api/pipelines/poisonh").body());
            assertEquals("RUNNING", status.path("state").asText());
            assertEquals(1, status.at("/events/deadLettered").asInt());
            JsonNode letter = JSON.readTree(t.get("/api/pipelines/poisonh/dead-letters").body()).path("letters").get(0);
            assertTrue(letter.path("changeId").asText().endsWith(":[3]"), letter.toString());
            assertEquals("/poisonh/t", java.net.URI.create(letter.path("destination").asText()).getPath());
            assertTrue(letter.path("cause").asText().contains("column tm: a String value does not fit the file's time-micros type"), letter.toString());
            assertTrue(letter.path("valueBytes").asInt() > 0, "the change is kept in the pipeline's format");
            JsonNode replay = JSON.readTree(t.post("/api/pipelines/poisonh/dead-letters/replay").body());
            assertEquals(1, replay.path("remaining").asInt());
            assertTrue(replay.path("errors").toString().contains("does not write dead letters again"), replay.toString());
            try (org.apache.hadoop.fs.FileSystem fs = hdfs.client()) {
                await().atMost(Duration.ofSeconds(30)).until(() -> !testsupport.PartFiles.published(fs, new org.apache.hadoop.fs.Path("/poisonh")).isEmpty());
                List<String> ids = testsupport.PartFiles.readAll(fs, new org.apache.hadoop.fs.Path("/poisonh"), 1).stream()
                        .map(r -> String.valueOf(r.values().get("id"))).sorted().toList();
                assertEquals(List.of("1", "2", "4"), ids, "the changes around the refused one are in the files");
            }
        }
    }

    /**
     * The worst moment for a dead letter: the JVM halts right after the letter is written, before the batch's offsets
     * are committed. The restart writes the batch again: the change is kept once, the others all arrive.
     */
    @Test
    void aCrashBetweenTheDeadLetterAndTheCommitKeepsTheLetterOnce() throws Exception {
        Postgres pg = TestServers.postgres();
        String kafka = TestServers.kafka().bootstrap();
        pg.createDatabase("poisonk");
        pg.execute("poisonk", "CREATE TABLE t (id int PRIMARY KEY, v text NOT NULL)");
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("tributary-poisonk");
        java.nio.file.Files.createDirectories(dir.resolve("pipelines"));
        java.nio.file.Files.writeString(dir.resolve("pipelines/poisonk.yaml"), """
                pipeline: poisonk
                source: {type: postgres, host: localhost, port: %d, database: poisonk, user: postgres, password: pw}
                mode: incremental
                objects: [{table: public.t, topic: poisonk.t}]
                sink: {type: kafka, brokers: "%s", options: {maxRequestSize: 100000}}
                """.formatted(pg.port(), kafka));
        int port = testsupport.KafkaBroker.freePort();
        try {
            try (testsupport.TributaryJar jar = testsupport.TributaryJar.start(dir, port, "poisonk-halt",
                    "-Dtributary.faults.halt=" + faults.FaultPoints.DEAD_LETTER_WRITTEN)) {
                jar.awaitRunning("poisonk");
                pg.execute("poisonk", "BEGIN", "INSERT INTO t VALUES (1, 'one')", "INSERT INTO t VALUES (2, '" + "x".repeat(200_000) + "')",
                        "INSERT INTO t VALUES (3, 'three')", "COMMIT");
                assertEquals(137, jar.awaitExit(Duration.ofSeconds(60)), "halted at the fault point");
            }
            try (testsupport.TributaryJar jar = testsupport.TributaryJar.start(dir, port, "poisonk-after")) {
                jar.awaitRunning("poisonk");
                pg.execute("poisonk", "INSERT INTO t VALUES (4, 'four')");
                List<Integer> ids = ids(Topics.readUntil(kafka, "poisonk.t", read -> ids(read).contains(4), Duration.ofSeconds(60)));
                assertEquals(List.of(1, 3, 4), ids.stream().distinct().sorted().toList(), "the changes around it arrive, perhaps twice");
                java.net.http.HttpResponse<String> letters = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + port + "/api/pipelines/poisonk/dead-letters")).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                JsonNode kept = JSON.readTree(letters.body());
                assertEquals(1, kept.path("count").asInt(), letters.body());
                assertTrue(kept.path("letters").get(0).path("changeId").asText().endsWith(":[2]"), letters.body());
            }
        } finally {
            testsupport.Dirs.delete(dir);
        }
    }

    @Test
    void aMessageAboveRocketMqsSizeLimitIsDeadLettered() throws Exception {
        Postgres pg = TestServers.postgres();
        testsupport.RocketMqBroker mq = TestServers.rocketmq();
        mq.createTopic("poison_mq", 4);
        pg.createDatabase("poisonmq");
        pg.execute("poisonmq", "CREATE TABLE t (id int PRIMARY KEY, v text NOT NULL)");
        try (RunningTributary t = new RunningTributary("""
                pipeline: poisonmq
                source: {type: postgres, host: localhost, port: %d, database: poisonmq, user: postgres, password: pw}
                mode: incremental
                objects: [{table: public.t, topic: poison_mq}]
                sink: {type: rocketmq, namesrv: "%s", options: {maxMessageBytes: 100000}}
                """.formatted(pg.port(), mq.namesrv()));
             testsupport.OrderedQueueReader reader = new testsupport.OrderedQueueReader(mq.namesrv(), "poison_mq", "poison_check")) {
            await().atMost(Duration.ofSeconds(90)).until(() -> t.get("/api/pipelines/poisonmq").body().contains("\"state\":\"RUNNING\""));
            for (int id = 1; id <= 6; id++) {
                pg.execute("poisonmq", "INSERT INTO t VALUES (" + id + ", '" + (id == 3 ? "y".repeat(150_000) : "row " + id) + "')");
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> reader.received.size() >= 5);
            await().atMost(Duration.ofSeconds(30)).until(() -> JSON.readTree(t.get("/api/pipelines/poisonmq").body()).at("/events/deadLettered").asInt() == 1);
            JsonNode letters = JSON.readTree(t.get("/api/pipelines/poisonmq/dead-letters").body());
            assertEquals(1, letters.path("count").asInt(), letters.toString());
            assertTrue(letters.at("/letters/0/changeId").asText().endsWith(":[3]"));
            assertTrue(letters.at("/letters/0/cause").asText().contains("maxMessageSize"), letters.toString());
            assertEquals("RUNNING", JSON.readTree(t.get("/api/pipelines/poisonmq").body()).path("state").asText());
        }
    }

    private static List<Integer> ids(List<org.apache.kafka.clients.consumer.ConsumerRecord<String, String>> records) {
        return records.stream().map(r -> Json.json(r).at("/after/id").asInt()).collect(Collectors.toList());
    }
}
