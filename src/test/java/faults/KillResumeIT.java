package faults;

import testsupport.TributaryJar;
import testsupport.PipelineStatus;
import testsupport.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import testsupport.Dirs;
import testsupport.KafkaBroker;
import testsupport.Postgres;
import testsupport.TestServers;
import testsupport.Topics;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * At-least-once, proven on the production JAR: Tributary runs as a child JVM ({@code java -jar target/tributary.jar}),
 * is killed with SIGKILL (or stopped with SIGTERM) in the middle of a stream of 25,000 changes, restarted on the same
 * data directory, and every committed change must be on the topic; after SIGTERM, exactly once.
 */
class KillResumeIT {

    static final int ROWS = 20_000;
    static final int UPDATE_EVERY = 4; // 5,000 updates: 25,000 changes in all

    final Postgres pg = TestServers.postgres();
    final String kafka = TestServers.kafka().bootstrap();

    @Test
    void killNineMidStreamLosesNothing() throws Exception {
        long duplicates = stopMidStreamAndResume("kill", true);
        assertTrue(duplicates >= 0);
    }

    @Test
    void gracefulStopMidStreamLosesNothingAndRepeatsNothing() throws Exception {
        assertEquals(0, stopMidStreamAndResume("term", false), "duplicates after a graceful stop (SIGTERM)");
    }

    /**
     * dedup: jdbc — the ids of delivered changes are in PostgreSQL before the source commits their offsets, so what the
     * source re-delivers after kill -9 is dropped; and the batch Kafka acknowledged just before the kill, whose ids were
     * not recorded yet, is found on the topic (its records carry their ids) before the first batch. The kill comes the
     * moment events.out passes 4,000 — right after a batch's acknowledgement, before its ids are recorded: the worst
     * moment.
     */
    @Test
    void killNineWithDedupDropsWhatTheSourceRedelivers() throws Exception {
        pg.createDatabase("dedupstore");
        long duplicates = stopMidStreamAndResume("dedup", true,
                "dedup: {repository: jdbc, window: 1h, url: \"" + pg.jdbcUrl("dedupstore") + "\", user: postgres, password: pw}\n");
        assertEquals(0, duplicates, "duplicates on the topic after kill -9 with dedup");
        ConsumerRecord<String, String> first = Topics.readAtLeast(kafka, "dedup.t", 1, Duration.ofSeconds(30)).get(0);
        assertTrue(first.headers().lastHeader("tributary.id") != null && first.headers().lastHeader("tributary.pipeline") != null,
                "every record carries its change id: what the restart reads to close dedup's gap");
        try (Connection c = pg.connect("dedupstore"); java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT count(*) FROM camel_messageprocessed WHERE processorName = 'dedup'")) {
            rs.next();
            assertEquals(ROWS + ROWS / UPDATE_EVERY, rs.getLong(1), "every delivered change's id remembered once");
        }
    }

    /** Runs the JAR, stops it mid-stream (SIGKILL or SIGTERM), restarts it, asserts nothing is lost; returns the duplicates. */
    private long stopMidStreamAndResume(String name, boolean kill) throws Exception {
        return stopMidStreamAndResume(name, kill, "");
    }

    private long stopMidStreamAndResume(String name, boolean kill, String extra) throws Exception {
        String topic = name + ".t";
        pg.createDatabase(name + "db");
        pg.execute(name + "db", "CREATE TABLE t (id int PRIMARY KEY, v text NOT NULL, n int NOT NULL)");
        Path dir = Files.createTempDirectory("tributary-" + name);
        Files.createDirectories(dir.resolve("pipelines"));
        Files.writeString(dir.resolve("pipelines/" + name + ".yaml"), """
                pipeline: %s
                source: {type: postgres, host: localhost, port: %d, database: %sdb, user: postgres, password: pw}
                mode: incremental
                objects: [{table: public.t, topic: %s}]
                sink: {type: kafka, brokers: "%s"}
                """.formatted(name, pg.port(), name, topic, kafka) + extra);
        int port = KafkaBroker.freePort();
        Process first = TributaryJar.start(dir, port, "kill-resume-" + name + "-first").process;
        Process second = null;
        try {
            PipelineStatus.awaitRunning(port, name);
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> writeChanges(name + "db"));
            // stop once a real part of the stream went through, while the writer is still writing
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50)).until(() -> PipelineStatus.delivered(port, name) >= 4_000);
            if (kill) {
                first.destroyForcibly(); // SIGKILL: no shutdown hook, no offset flush
            } else {
                first.destroy(); // SIGTERM: Camel's graceful shutdown; the batch in flight completes and its offsets are flushed
            }
            assertTrue(first.waitFor(60, TimeUnit.SECONDS));
            long deliveredBeforeStop = Topics.readUntil(kafka, topic, r -> false, Duration.ofSeconds(2)).size();
            second = TributaryJar.start(dir, port, "kill-resume-" + name + "-second").process;
            PipelineStatus.awaitRunning(port, name);
            writer.get(180, TimeUnit.SECONDS);

            int expected = ROWS + ROWS / UPDATE_EVERY;
            Set<String> wanted = new HashSet<>();
            for (int id = 1; id <= ROWS; id++) {
                wanted.add(id + ":c:0");
                if (id % UPDATE_EVERY == 0) {
                    wanted.add(id - UPDATE_EVERY / 2 + ":u:1"); // as writeChanges does
                }
            }
            List<ConsumerRecord<String, String>> records = Topics.readUntil(kafka, topic,
                    r -> r.size() >= expected && seen(r).containsAll(wanted), Duration.ofSeconds(180));
            Set<String> seen = seen(records);
            Set<String> lost = new HashSet<>(wanted);
            lost.removeAll(seen);
            long duplicates = records.size() - seen.size();
            JsonNode status = PipelineStatus.status(port, name);
            System.out.printf("%s%s resume: %s; %d changes committed at the source, %d records on the topic before the stop, "
                    + "%d after the restart; lost %d, duplicates %d%n", kill ? "kill -9" : "SIGTERM", extra.isEmpty() ? "" : " with dedup",
                    status.get("events"), expected, deliveredBeforeStop,
                    records.size(), lost.size(), duplicates);
            assertEquals(Set.of(), lost.size() > 20 ? Set.of(lost.size() + " changes") : lost, "lost changes");
            return duplicates;
        } finally {
            first.destroyForcibly();
            if (second != null) {
                second.destroy();
                second.waitFor(30, TimeUnit.SECONDS);
                second.destroyForcibly();
            }
            Dirs.delete(dir);
        }
    }

    private static Set<String> seen(List<ConsumerRecord<String, String>> records) {
        Set<String> seen = new HashSet<>();
        for (ConsumerRecord<String, String> r : records) {
            JsonNode e = Json.json(r);
            seen.add(e.at("/after/id").asInt() + ":" + e.get("op").asText() + ":" + e.at("/after/n").asInt());
        }
        return seen;
    }

    /** Single-row transactions, as an OLTP application commits them: inserts, and an update of every 4th row. */
    private void writeChanges(String database) {
        try (Connection c = pg.connect(database);
             PreparedStatement insert = c.prepareStatement("INSERT INTO t VALUES (?, 'row ' || ?, 0)");
             PreparedStatement update = c.prepareStatement("UPDATE t SET n = 1 WHERE id = ?")) {
            for (int id = 1; id <= ROWS; id++) {
                insert.setInt(1, id);
                insert.setInt(2, id);
                insert.executeUpdate();
                if (id % UPDATE_EVERY == 0) {
                    update.setInt(1, id - UPDATE_EVERY / 2);
                    update.executeUpdate();
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

}
