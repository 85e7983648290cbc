package faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import testsupport.ChangeWriter;
import testsupport.Convergence;
import testsupport.Dirs;
import testsupport.KafkaBroker;
import testsupport.KeyedReplay;
import testsupport.Postgres;
import testsupport.TestServers;
import testsupport.TributaryJar;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The soak (docs/reliability.md): PostgreSQL → Kafka on the fat JAR under -Xmx512m for {@code campaign.soakMinutes}
 * (30 in {@code -Pcampaign}; 0, skipped, in the default tests) with writers aiming at {@code campaign.soakRate} changes/s
 * (5,000) and a kill -9 every {@code campaign.soakKillMinutes} (5), the JAR restarted at once. Every 10 s it samples the
 * JAR's heap, threads and open file descriptors and the replication slot's lag; per window between kills it prints
 * their highest values. At the end: nothing lost, no deleted row alive, no value wrong, no change skipped; the
 * samples of the last window no higher than the first's by more than a margin (flat, no leak).
 */
class SoakIT {

    static final int MINUTES = Integer.getInteger("campaign.soakMinutes", 0);
    static final int RATE = Integer.getInteger("campaign.soakRate", 5_000);
    static final double KILL_MINUTES = Double.parseDouble(System.getProperty("campaign.soakKillMinutes", "5"));
    static final List<String> TABLES = List.of("soak_a", "soak_b", "soak_c", "soak_d");
    static final ObjectMapper JSON = new ObjectMapper();

    /** The highest values seen in one window (one JVM, between two kills). */
    record Window(int run, double seconds, long changes, long heapMb, long threads, long fds, long slotLagKb, double recoverySeconds) {
        String row() {
            return String.format("| %d | %.0f s | %d | %.0f/s | %d MB | %d | %d | %d kB | %.1f s |", run, seconds, changes, changes / seconds,
                    heapMb, threads, fds, slotLagKb, recoverySeconds);
        }
    }

    @Test
    void thirtyMinutesAtFiveThousandChangesPerSecondWithAKillEveryFiveMinutes() throws Exception {
        Assumptions.assumeTrue(MINUTES > 0, "the soak runs in the full campaign only (-Pcampaign)");
        Postgres pg = TestServers.postgres();
        String kafka = TestServers.kafka().bootstrap();
        pg.createDatabase("soak");
        Path dir = Files.createTempDirectory("tributary-soak");
        Files.createDirectories(dir.resolve("pipelines"));
        Files.writeString(dir.resolve("pipelines/soak.yaml"), """
                pipeline: soak
                source: {type: postgres, host: localhost, port: %d, database: soak, user: postgres, password: pw}
                mode: full-and-incremental
                objects: [{table: "public.soak_*", topic: "soak.{table}"}]
                format: debezium
                sink: {type: kafka, brokers: "%s"}
                """.formatted(pg.port(), kafka));
        // two writers on two tables each: one JDBC connection alone does not reach the rate
        ChangeWriter first = new ChangeWriter(() -> pg.connect("soak"), TABLES.subList(0, 2), RATE / 2, 1).create(10_000, "varchar");
        ChangeWriter second = new ChangeWriter(() -> pg.connect("soak"), TABLES.subList(2, 4), RATE / 2, 2).create(10_000, "varchar");
        int port = KafkaBroker.freePort();
        List<Window> windows = new ArrayList<>();
        long end = System.nanoTime() + Duration.ofMinutes(MINUTES).toNanos();
        try {
            first.start();
            second.start();
            for (int run = 1; System.nanoTime() < end; run++) {
                long t0 = System.nanoTime();
                long changesBefore = first.changes() + second.changes();
                try (TributaryJar jar = TributaryJar.start(dir, port, "soak-" + run)) {
                    double recovery = -1;
                    long heap = 0;
                    long threads = 0;
                    long fds = 0;
                    long lag = 0;
                    long windowEnd = Math.min(end, t0 + (long) (KILL_MINUTES * 60e9));
                    while (System.nanoTime() < windowEnd) {
                        assertTrue(jar.process.isAlive(), "the JVM died (target/jar-soak-" + run + ".log)");
                        if (recovery < 0 && jar.delivered("soak") > 0) {
                            recovery = (System.nanoTime() - t0) / 1e9;
                        }
                        Map<String, Double> m = metrics(jar);
                        heap = Math.max(heap, m.getOrDefault("heap", 0.0).longValue() >> 20);
                        threads = Math.max(threads, m.getOrDefault("threads", 0.0).longValue());
                        fds = Math.max(fds, openFiles(jar.process));
                        lag = Math.max(lag, slotLagBytes(pg) >> 10);
                        Thread.sleep(recovery < 0 ? 200 : 10_000);
                    }
                    long changes = first.changes() + second.changes() - changesBefore;
                    Window w = new Window(run, (System.nanoTime() - t0) / 1e9, changes, heap, threads, fds, lag, recovery);
                    windows.add(w);
                    System.out.println("soak window " + w.row());
                    jar.kill();
                }
            }
        } finally {
            first.close();
            second.close();
        }
        Map<String, Map<String, String>> source = Convergence.sourceRows(() -> pg.connect("soak"), TABLES);
        long written = first.changes() + second.changes();
        Replay replay;
        try (TributaryJar last = TributaryJar.start(dir, port, "soak-last")) {
            replay = replayUntilConverged(kafka, source, Duration.ofMinutes(10));
        } finally {
            Dirs.delete(dir);
        }
        List<String> table = new ArrayList<>(List.of(
                "| run | lasted | changes written | rate | heap (max) | threads (max) | open fds (max) | slot lag (max) | first delivery after start |",
                "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"));
        windows.forEach(w -> table.add(w.row()));
        // fewer records than changes: what was written before the first start's slot existed arrives folded in the snapshot
        System.out.printf("soak: %d min, %d changes written (%.0f/s), %d records read back; %s, redelivered %d, gaps %d %s%n%s%n",
                MINUTES, written, written / (MINUTES * 60.0), replay.records, replay.diff, replay.redelivered, replay.gaps.size(),
                replay.gaps.subList(0, Math.min(5, replay.gaps.size())), String.join("\n", table));
        assertTrue(replay.diff.empty() && replay.gaps.isEmpty(), replay.diff + ", gaps " + replay.gaps.size());
        // flat: the last full window against the first (a JVM of the same age), with a margin for GC timing
        Window a = windows.get(0);
        Window z = windows.get(windows.size() - 1).seconds() < KILL_MINUTES * 60 * 0.9 && windows.size() > 2
                ? windows.get(windows.size() - 2) : windows.get(windows.size() - 1);
        assertTrue(z.threads() <= a.threads() + 20, "threads grew: " + a.threads() + " → " + z.threads());
        assertTrue(z.fds() <= a.fds() + 50, "open files grew: " + a.fds() + " → " + z.fds());
        assertTrue(z.heapMb() <= 512, "heap above -Xmx?");
        assertTrue(z.slotLagKb() <= Math.max(4 * a.slotLagKb(), 64 * 1024), "slot lag grew: " + a.slotLagKb() + " → " + z.slotLagKb() + " kB");
    }

    /** What the topics say, replayed per key in partition order, without keeping the records (millions of them). */
    static final class Replay {
        final Map<String, Map<String, String>> rows = new HashMap<>();
        final Map<String, Integer> maxN = new HashMap<>();
        final List<String> gaps = new ArrayList<>();
        long records;
        long redelivered;
        KeyedReplay.Diff diff;

        void apply(String table, String value) throws Exception {
            if (value == null) {
                return; // a tombstone
            }
            records++;
            JsonNode e = JSON.readTree(value);
            e = e.has("payload") ? e.get("payload") : e;
            String op = e.path("op").asText();
            JsonNode image = op.equals("d") ? e.get("before") : e.get("after");
            String key = table + "/{\"id\":" + image.get("id").asInt() + "}";
            if (op.equals("d")) {
                rows.remove(key);
                return;
            }
            int n = image.get("n").asInt();
            int seen = maxN.getOrDefault(key, -1);
            if (!op.equals("r") && n > seen + 1) {
                gaps.add(key + " n " + seen + " -> " + n);
            } else if (!op.equals("r") && n <= seen) {
                redelivered++; // a change delivered again after a kill (at-least-once)
            }
            maxN.put(key, Math.max(seen, n));
            Map<String, String> row = new TreeMap<>();
            row.put("v", image.get("v").asText());
            row.put("n", String.valueOf(n));
            rows.put(key, row);
        }
    }

    /** Reads every topic from the start, then goes on reading until the replay equals the source or the timeout passes. */
    static Replay replayUntilConverged(String kafka, Map<String, Map<String, String>> source, Duration timeout) throws Exception {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000");
        Replay replay = new Replay();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String t : TABLES) {
                consumer.partitionsFor("soak." + t, Duration.ofSeconds(10)).forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            long nextCheck = 0;
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    replay.apply(r.topic().substring("soak.".length()), r.value());
                }
                if (System.nanoTime() > nextCheck) {
                    // equal to the source and read to the end: a replay after the last restart is read too
                    Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
                    boolean atEnd = partitions.stream().allMatch(tp -> consumer.position(tp) >= ends.get(tp));
                    replay.diff = KeyedReplay.compare(source, replay.rows);
                    if (replay.diff.empty() && atEnd) {
                        break;
                    }
                    nextCheck = System.nanoTime() + 5_000_000_000L;
                }
            }
            replay.diff = KeyedReplay.compare(source, replay.rows);
        }
        return replay;
    }

    /** Heap used and live threads from the JAR's /metrics. */
    static Map<String, Double> metrics(TributaryJar jar) {
        Map<String, Double> m = new HashMap<>();
        try {
            String text = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + jar.port + "/metrics")).timeout(Duration.ofSeconds(5)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            for (String l : text.lines().toList()) {
                double v;
                try {
                    v = Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1));
                } catch (RuntimeException notAValue) {
                    continue;
                }
                if (l.startsWith("jvm_memory_used_bytes{area=\"heap\"")) {
                    m.merge("heap", v, Double::sum);
                } else if (l.startsWith("jvm_threads_live_threads")) {
                    m.put("threads", v);
                }
            }
        } catch (Exception e) {
            // the JAR is starting
        }
        return m;
    }

    /** Open file descriptors of the process (Linux). */
    static long openFiles(Process process) {
        String[] fds = new java.io.File("/proc/" + process.pid() + "/fd").list();
        return fds == null ? 0 : fds.length;
    }

    /** Bytes of WAL the pipeline's slot has not confirmed yet. */
    static long slotLagBytes(Postgres pg) {
        try (Connection c = pg.connect("soak"); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT coalesce(pg_current_wal_lsn() - confirmed_flush_lsn, 0) FROM pg_replication_slots WHERE slot_name = 'tributary_soak'")) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (Exception e) {
            return 0;
        }
    }
}
