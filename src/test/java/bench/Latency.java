package bench;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import testsupport.Postgres;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import testsupport.Topics;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Latency as users see it: commit → Kafka acknowledgement at a steady 10,000 changes/s, the fat JAR in its own JVM with
 * default settings and Kafka in its own JVM; beside it Debezium's engine as released with a plain producer, in a JVM of
 * its own too ({@link StockEngineProcess}). Each contender is warmed up first on a table of its own (200,000 changes),
 * and the first {@link #WARM_SECONDS} of the steady stream are not counted, so a steady state is measured, not a JIT
 * warm-up; the broker stamps each record as it appends it, and that time minus
 * the change's source commit time ({@code source.ts_us}) is the latency, read back from the topics afterwards.
 */
final class Latency {

    /**
     * Seconds of changes at the start of the steady stream that are not counted. Not 5: the backlog warm-up on a table of
     * its own does not warm what a steady stream into another table takes (per-batch code at 200 batches a second, a new
     * topic), and the fat JAR's C2 compiler thread took 0.2–0.6 of a core through the first 10–20 s after the switch
     * (per-thread CPU, 1 s samples) — on two cores that is a latency tail of its own, not a steady state.
     */
    static final int WARM_SECONDS = 35;

    /**
     * {@link Suite#CHANGES_PROCEDURE}'s changes into table {@code l}, as static statements: PL/pgSQL keeps their plans,
     * where the general procedure's {@code EXECUTE format(...)} parses and plans every change. The writer shares the
     * two cores with both contenders during the measurement; planning each change took it to 0.5–0.8 of a core at
     * 10,000 changes/s.
     */
    static final String STEADY_PROCEDURE = """
            CREATE PROCEDURE changes_l(first int, n int, rate int) LANGUAGE plpgsql AS $$
            DECLARE
              k int; b int; t0 timestamptz := clock_timestamp(); lag float8;
            BEGIN
              FOR i IN 0..n-1 LOOP
                k := first + i; b := first + (i / 10) * 10;
                IF i % 10 < 6 THEN
                  INSERT INTO l VALUES (k, 'name ' || k, k % 1000, k / 100.0, k * 0.5, k % 2 = 0, now(), 'c' || (k % 97), k::bigint * 1000, (k % 100)::smallint);
                ELSIF i % 10 < 9 THEN
                  UPDATE l SET qty = qty + 1, price = price + 1, code = 'u' || i WHERE id = b + i % 10 - 6;
                ELSE
                  DELETE FROM l WHERE id = b + 3;
                END IF;
                COMMIT;
                IF rate > 0 AND i % 100 = 99 THEN
                  lag := extract(epoch FROM t0 + (i + 1) * interval '1 second' / rate - clock_timestamp());
                  IF lag > 0 THEN PERFORM pg_sleep(lag); END IF;
                END IF;
              END LOOP;
            END $$""";

    private Latency() {
    }

    /** @param settingsFrom Tributary in the suite's JVM: only to read the engine settings the pipeline starts with */
    static Suite.Row run(Postgres pg, Suite.Running settingsFrom, Path dir) throws Exception {
        int rate = Integer.getInteger("bench.latencyRate", 10_000);
        int seconds = (int) Math.max(5, Math.round(Integer.getInteger("bench.latencySeconds", 30) * Math.min(1, Suite.SCALE * 4)));
        int changes = rate * (WARM_SECONDS + seconds); // the first WARM_SECONDS of changes are not counted
        int warm = Suite.scaled(200_000);
        Files.createDirectories(dir.resolve("pipelines"));
        pg.execute("postgres", "CREATE TABLE l " + Suite.COLUMNS, "CREATE TABLE lw " + Suite.COLUMNS, STEADY_PROCEDURE);
        try {
            return measure(pg, settingsFrom, dir, rate, seconds, changes, warm);
        } finally {
            // kept for a look at where a tail came from (the run's folder is deleted): the broker's collections
            if (Files.exists(dir.resolve("kafka-gc.log"))) {
                Files.copy(dir.resolve("kafka-gc.log"), Path.of("target/bench-latency-kafka-gc.log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static Suite.Row measure(Postgres pg, Suite.Running settingsFrom, Path dir, int rate, int seconds, int changes, int warm)
            throws Exception {
        try (KafkaProcess kafka = KafkaProcess.start(dir.resolve("kafka.log"))) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap))) {
                Map<String, String> config = Map.of("message.timestamp.type", "LogAppendTime");
                admin.createTopics(List.of(new NewTopic("lat.tributary", 4, (short) 1).configs(config),
                        new NewTopic("lat.raw", 4, (short) 1).configs(config))).all().get();
            }
            String pipeline = """
                    pipeline: bench-latency
                    source: {type: postgres, host: localhost, port: %d, database: postgres, user: postgres, password: pw}
                    mode: incremental
                    objects: [{table: public.l, topic: lat.tributary}, {table: public.lw, topic: lat.warm}]
                    sink: {type: kafka, brokers: "%s"}
                    """.formatted(pg.port(), kafka.bootstrap) + Suite.batchSettings();
            Properties settings = settingsFrom.engineSettings(pipeline.replace("bench-latency", "bench-latency-settings"));

            double[] ours;
            double written;
            Files.writeString(dir.resolve("pipelines/bench-latency.yaml"), pipeline);
            try (Backlog.Jar jar = Backlog.Jar.start(dir)) {
                jar.awaitRunning("bench-latency");
                pg.execute("postgres", "CALL changes('lw', 1, " + warm + ", 0)");
                jar.awaitOut("bench-latency", warm);
                written = steady(pg, 1, changes, rate);
                jar.awaitOut("bench-latency", warm + changes);
                ours = latencies(kafka.bootstrap, "lat.tributary", changes);
                System.out.printf("latency: Tributary (fat JAR) at %,.0f changes/s for %d s: commit → Kafka append p50 %.0f ms, p99 %.0f ms,"
                        + " max %.0f ms%n", written, seconds, ours[0], ours[1], ours[2]);
                jar.stop();
            }

            // the stock engine's slot is created now, after Tributary's run, so it has no backlog to chew either
            RawEngine raw = RawEngine.like(settings, "raw_latency", dir);
            double[] base;
            try (StockEngineProcess stock = new StockEngineProcess(raw.settings(), kafka.bootstrap, "lat.raw", dir)) {
                stock.catchUp(0);
                pg.execute("postgres", "CALL changes('lw', " + (warm + 1) + ", " + warm + ", 0)");
                stock.catchUp(warm);
                stock.startStreaming();
                written = steady(pg, changes + 1, changes, rate);
                stock.awaitStreamed(changes);
                base = latencies(kafka.bootstrap, "lat.raw", changes);
                System.out.printf("latency: Debezium engine as released + KafkaProducer (own JVM) at %,.0f changes/s: p50 %.0f ms, p99 %.0f ms,"
                        + " max %.0f ms%n", written, base[0], base[1], base[2]);
            }
            return new Suite.Row("as shipped: PG → Kafka, latency: source commit → Kafka append at a steady %,d changes/s for %d s".formatted(rate, seconds),
                    "p50 %.0f ms, p99 %.0f ms".formatted(ours[0], ours[1]),
                    "p50 %.0f ms, p99 %.0f ms (Debezium engine as released + KafkaProducer, a JVM of its own)".formatted(base[0], base[1]),
                    "%.2f (p99)".formatted(ours[1] / base[1]), "p99 < 100 ms", Suite.verdict(ours[1] < 100));
        }
    }

    /** Writes {@code changes} single-row transactions at {@code rate} a second; the rate achieved. */
    private static double steady(Postgres pg, int first, int changes, int rate) throws Exception {
        long w0 = System.nanoTime();
        // synchronous_commit on for the writer (the test server's default is off): each commit's WAL is flushed at once,
        // as on a production primary, instead of by the WAL writer every 200 ms — logical decoding sends only flushed WAL
        pg.execute("postgres", "SET synchronous_commit = on", "CALL changes_l(" + first + ", " + changes + ", " + rate + ")");
        return changes / ((System.nanoTime() - w0) / 1e9);
    }

    /**
     * p50, p99 and max of (broker append time − source commit time) in ms over the topic's first {@code count} changes
     * of table {@code l}, leaving out those committed in the run's first {@link #WARM_SECONDS}. The stock engine's topic
     * holds its warm-up table's changes first (one topic for all it reads); Tributary's sends those elsewhere.
     */
    static double[] latencies(String bootstrap, String topic, int count) throws Exception {
        List<long[]> measured = new ArrayList<>(); // {commit µs, append µs}
        int[] seen = {0};
        Topics.readUntil(bootstrap, topic, records -> {
            for (ConsumerRecord<String, String> r : records.subList(seen[0], records.size())) {
                JsonNode event;
                try {
                    JsonNode value = Suite.JSON.readTree(r.value());
                    event = value.has("payload") ? value.get("payload") : value;
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
                if (event.at("/source/table").asText().equals("l") && measured.size() < count) {
                    measured.add(new long[]{event.at("/source/ts_us").asLong(event.at("/source/ts_ms").asLong() * 1000), r.timestamp() * 1000});
                }
            }
            seen[0] = records.size();
            return measured.size() >= count;
        }, Duration.ofMinutes(2));
        long firstCommit = measured.stream().mapToLong(m -> m[0]).min().orElseThrow();
        double[] ms = measured.stream().filter(m -> m[0] >= firstCommit + WARM_SECONDS * 1_000_000L)
                .mapToDouble(m -> (m[1] - m[0]) / 1000.0).sorted().toArray();
        if (Boolean.getBoolean("bench.latencyTimeline")) {
            // to tell a start-up backlog from steady-state outliers
            Map<Long, Double> worst = new TreeMap<>();
            measured.forEach(m -> worst.merge((m[0] - firstCommit) / 1_000_000L, (m[1] - m[0]) / 1000.0, Math::max));
            System.out.printf("latency: %s, worst ms per second of commit time from %s: %s%n", topic,
                    java.time.Instant.ofEpochSecond(0, firstCommit * 1000), worst);
        }
        return new double[]{ms[(int) (ms.length * 0.50)], ms[Math.min(ms.length - 1, (int) (ms.length * 0.99))], ms[ms.length - 1]};
    }
}
