package sinks;

import testsupport.TributaryJar;
import testsupport.PipelineStatus;
import testsupport.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.rocketmq.common.message.MessageExt;
import org.junit.jupiter.api.Test;
import testsupport.OrderedQueueReader;
import testsupport.Postgres;
import testsupport.RocketMqBroker;
import testsupport.RunningTributary;
import testsupport.TestServers;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PostgreSQL → RocketMQ, partition-ordered: every change of a key in one queue, in commit order, none missing. */
class PostgresToRocketMqIT {

    static final int KEYS = 200;
    static final int VERSIONS = 100;

    final Postgres pg = TestServers.postgres();
    final RocketMqBroker mq = TestServers.rocketmq();

    String pipeline(String name, String topic) {
        return """
                pipeline: %s
                source: {type: postgres, host: localhost, port: %d, database: %s, user: postgres, password: pw}
                mode: incremental
                objects: [{table: public.t, topic: %s}]
                sink: {type: rocketmq, namesrv: "%s", options: {sendTimeoutMs: 3000, sendRetries: 2, retryDelayMs: 200}}
                errors: {retries: 100, retryDelayMs: 500, maxRetryDelayMs: 2000}
                """.formatted(name, pg.port(), name, topic, mq.namesrv());
    }

    /** 200 keys, each updated 100 times (200 changes per transaction): versions 1..100 per key. */
    void writeVersions(String database) throws Exception {
        writeVersions(database, 1, VERSIONS);
    }

    void writeVersions(String database, int first, int last) throws Exception {
        for (int v = first; v <= last; v++) {
            pg.execute(database, "UPDATE t SET n = " + v);
        }
    }

    /** Per key: the versions as consumed. */
    static Map<Integer, List<Integer>> versionsByKey(List<MessageExt> received) {
        Map<Integer, List<Integer>> byKey = new TreeMap<>();
        for (MessageExt m : received) {
            JsonNode e = body(m);
            byKey.computeIfAbsent(e.at("/after/id").asInt(), k -> new java.util.ArrayList<>()).add(e.at("/after/n").asInt());
        }
        return byKey;
    }

    static JsonNode body(MessageExt m) {
        try {
            return Json.MAPPER.readTree(new String(m.getBody(), StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /**
     * At-least-once with order: walking a key's versions, each is either the next one or a replay of one already seen
     * (a batch sent again after a failure); a gap or a step back past a replay's end means lost or reordered changes.
     * Returns the number of replayed messages.
     */
    static int assertOrderedAndComplete(Map<Integer, List<Integer>> byKey) {
        assertEquals(KEYS, byKey.size(), "every key");
        int replays = 0;
        for (Map.Entry<Integer, List<Integer>> e : byKey.entrySet()) {
            int max = 0;
            for (int v : e.getValue()) {
                if (v == max + 1) {
                    max = v;
                } else if (v <= max) {
                    replays++;
                } else {
                    throw new AssertionError("key " + e.getKey() + ": version " + v + " after " + max + " — a gap: " + e.getValue());
                }
            }
            assertEquals(VERSIONS, max, "key " + e.getKey() + " complete");
        }
        return replays;
    }

    void table(String database) throws Exception {
        pg.createDatabase(database);
        pg.execute(database, "CREATE TABLE t (id int PRIMARY KEY, n int NOT NULL)",
                "INSERT INTO t SELECT g, 0 FROM generate_series(1, " + KEYS + ") g");
    }

    @Test
    void everyKeysChangesArriveInOneQueueInCommitOrder() throws Exception {
        table("mq1");
        mq.createTopic("mq1_t", 8);
        try (OrderedQueueReader reader = new OrderedQueueReader(mq.namesrv(), "mq1_t", "check_mq1");
             RunningTributary t = new RunningTributary(pipeline("mq1", "mq1_t")
                     .replace("sink: {type: rocketmq,", "sink: {type: rocketmq, trace: true, tag: cdc, producerGroup: mq1_group,"));
             OrderedQueueReader trace = new OrderedQueueReader(mq.namesrv(), "RMQ_SYS_TRACE_TOPIC", "check_mq1_trace")) {
            await().atMost(Duration.ofSeconds(60)).until(() -> t.get("/api/pipelines/mq1").body().contains("\"state\":\"RUNNING\""));
            writeVersions("mq1");
            await().atMost(Duration.ofSeconds(120)).until(() -> reader.received.size() >= KEYS * VERSIONS);
            Map<Integer, List<Integer>> byKey = versionsByKey(reader.received);
            List<Integer> all = java.util.stream.IntStream.rangeClosed(1, VERSIONS).boxed().toList();
            byKey.forEach((key, versions) -> assertEquals(all, versions, "versions of key " + key));
            // one queue per key, the one the documented hash names
            Map<Integer, Set<Integer>> queuesByKey = new HashMap<>();
            for (MessageExt m : reader.received) {
                JsonNode e = body(m);
                int id = e.at("/after/id").asInt();
                queuesByKey.computeIfAbsent(id, k -> new java.util.HashSet<>()).add(m.getQueueId());
                assertEquals(Math.floorMod(("{\"id\":" + id + "}").hashCode(), 8), m.getQueueId(), "queue of key " + id);
                assertEquals("cdc", m.getTags());
                assertEquals(String.valueOf(id), m.getKeys());
                assertEquals("public.t", m.getUserProperty("table"));
                assertEquals("mq1", m.getUserProperty("db"));
                assertEquals("u", m.getUserProperty("op"));
                assertTrue(Long.parseLong(m.getUserProperty("commitTs")) > 0);
                assertTrue(Long.parseLong(m.getUserProperty("position")) > 0);
            }
            assertTrue(queuesByKey.values().stream().allMatch(q -> q.size() == 1));
            assertEquals(8, queuesByKey.values().stream().map(q -> q.iterator().next()).distinct().count(), "keys spread over all queues");
            await().atMost(Duration.ofSeconds(30)).until(() -> !trace.received.isEmpty()); // trace: true reached the trace topic
        }
    }

    @Test
    void aBrokerOutageMidStreamPausesThePipelineAndLosesNothing() throws Exception {
        table("mq2");
        mq.createTopic("mq2_t", 8);
        try (OrderedQueueReader reader = new OrderedQueueReader(mq.namesrv(), "mq2_t", "check_mq2");
             RunningTributary t = new RunningTributary(pipeline("mq2", "mq2_t"))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> t.get("/api/pipelines/mq2").body().contains("\"state\":\"RUNNING\""));
            writeVersions("mq2", 1, VERSIONS / 2);
            await().atMost(Duration.ofSeconds(60)).until(() -> reader.received.size() >= KEYS * 10);
            mq.stop();
            try {
                // the second half is written while the broker is away (a fast sink had delivered everything before an
                // outage that started mid-writer): the pipeline must retry it, not lose or skip it
                writeVersions("mq2", VERSIONS / 2 + 1, VERSIONS);
                Thread.sleep(20_000); // the outage: 20 s without a broker
                JsonNode during = Json.MAPPER.readTree(t.get("/api/pipelines/mq2").body());
                assertEquals("RUNNING", during.get("state").asText(), "paused and retrying, not failed: " + during);
                assertTrue(during.at("/errors/count").asLong() > 0, during.toString());
            } finally {
                mq.start(); // whatever happened: the broker is shared by the tests after this one
            }
            await().atMost(Duration.ofSeconds(180)).until(() -> versionsByKey(reader.received).values().stream()
                    .allMatch(v -> v.contains(VERSIONS)) && versionsByKey(reader.received).size() == KEYS);
            int replays = assertOrderedAndComplete(versionsByKey(reader.received));
            System.out.printf("rocketmq outage of 20 s: %d changes, %d messages consumed, %d replayed, 0 lost, order per key kept%n",
                    KEYS * VERSIONS, reader.received.size(), replays);
        }
    }

    @Test
    void killNineMidStreamLosesNothingAndKeepsOrder() throws Exception {
        table("mq4");
        mq.createTopic("mq4_t", 8);
        Path dir = Files.createTempDirectory("tributary-mq-kill");
        Files.createDirectories(dir.resolve("pipelines"));
        Files.writeString(dir.resolve("pipelines/mq4.yaml"), pipeline("mq4", "mq4_t"));
        int port = testsupport.KafkaBroker.freePort();
        Process first = TributaryJar.start(dir, port, "mq4-first").process;
        Process second = null;
        try (OrderedQueueReader reader = new OrderedQueueReader(mq.namesrv(), "mq4_t", "check_mq4")) {
            PipelineStatus.awaitRunning(port, "mq4");
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    writeVersions("mq4");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50)).until(() -> PipelineStatus.delivered(port, "mq4") >= 4_000);
            first.destroyForcibly();
            assertTrue(first.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
            second = TributaryJar.start(dir, port, "mq4-second").process;
            PipelineStatus.awaitRunning(port, "mq4");
            writer.get();
            await().atMost(Duration.ofSeconds(180)).until(() -> versionsByKey(reader.received).size() == KEYS
                    && versionsByKey(reader.received).values().stream().allMatch(v -> v.contains(VERSIONS)));
            int duplicates = assertOrderedAndComplete(versionsByKey(reader.received));
            System.out.printf("rocketmq kill -9 resume: %d changes, %d messages consumed, lost 0, duplicates %d, order per key kept%n",
                    KEYS * VERSIONS, reader.received.size(), duplicates);
        } finally {
            first.destroyForcibly();
            if (second != null) {
                second.destroy();
                second.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
            }
            testsupport.Dirs.delete(dir);
        }
    }

    @Test
    void aMissingTopicIsNamedAndFailsThePipelineWithoutLoss() throws Exception {
        table("mq3");
        try (RunningTributary t = new RunningTributary(pipeline("mq3", "no_such_topic")
                .replace("errors: {retries: 100, retryDelayMs: 500, maxRetryDelayMs: 2000}", "errors: {retries: 1, retryDelayMs: 100}"))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> t.get("/api/pipelines/mq3").body().contains("no_such_topic"));
            // mode incremental: a change made before the stream is connected is not the pipeline's to deliver
            PipelineStatus.awaitRunning(t.port, "mq3");
            pg.execute("mq3", "UPDATE t SET n = 1 WHERE id = 1");
            await().atMost(Duration.ofSeconds(60)).until(() -> t.get("/api/pipelines/mq3").body().contains("\"state\":\"FAILED\""));
            JsonNode s = Json.MAPPER.readTree(t.get("/api/pipelines/mq3").body());
            assertTrue(s.at("/engine/error").asText().contains("RocketMQ topic 'no_such_topic' does not exist"), s.toString());
            assertEquals(0, s.at("/engine/changesCommitted").asLong());
        }
    }
}
