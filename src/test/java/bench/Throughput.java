package bench;

import app.Tributary;
import org.apache.camel.main.Main;
import runtime.PipelineRegistry;
import runtime.PipelineRuntime;
import testsupport.Dirs;
import testsupport.KafkaBroker;
import testsupport.Postgres;
import testsupport.RocketMqBroker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * A measurement, not a test ({@code mvn -Pbench package}; docs/performance.md). For each sink (Kafka, RocketMQ ordered)
 * and round (a warm-up, then the measured one): N single-row transactions (default 200,000) are written while the
 * pipelines are stopped, then Tributary catches up, then the raw Debezium engine with the plain client sending the
 * same way catches up on the same WAL (its own slot). Also: start → first change, the raw engine without a sink, and a
 * live run. Prints figures; asserts nothing.
 */
public final class Throughput {

    public static void main(String[] args) throws Exception {
        int rows = Integer.getInteger("bench.rows", 200_000);
        try (Postgres pg = new Postgres(); KafkaBroker kafka = new KafkaBroker(); RocketMqBroker mq = new RocketMqBroker()) {
            mq.createTopic("bench_t", 8);
            mq.createTopic("raw_t", 8);
            pg.execute("postgres",
                    "CREATE TABLE t (id int PRIMARY KEY, v text NOT NULL, n int NOT NULL, amount numeric(10,2), at timestamptz DEFAULT now())",
                    "INSERT INTO t VALUES (0, 'seed', 0, 0)",
                    """
                    CREATE PROCEDURE single_row_inserts(first int, last int) LANGUAGE plpgsql AS $$
                    BEGIN
                      FOR i IN first..last LOOP
                        INSERT INTO t (id, v, n, amount) VALUES (i, 'row ' || i, i % 100, i / 100.0);
                        COMMIT;  -- one transaction per row, as an OLTP application writes them
                      END LOOP;
                    END $$""");
            Path dir = Files.createTempDirectory("tributary-bench");
            Files.createDirectories(dir.resolve("pipelines"));
            Files.writeString(dir.resolve("pipelines/kafka.yaml"), """
                    pipeline: bench-kafka
                    source: {type: postgres, host: localhost, port: %d, database: postgres, user: postgres, password: pw}
                    mode: full-and-incremental
                    objects: [{table: public.t, topic: bench.t}]
                    sink: {type: kafka, brokers: "%s"}
                    """.formatted(pg.port(), kafka.bootstrap()));
            Files.writeString(dir.resolve("pipelines/rocketmq.yaml"), """
                    pipeline: bench-rocketmq
                    source: {type: postgres, host: localhost, port: %d, database: postgres, user: postgres, password: pw}
                    mode: incremental
                    objects: [{table: public.t, topic: bench_t}]
                    sink: {type: rocketmq, namesrv: "%s"}
                    """.formatted(pg.port(), mq.namesrv()));
            long start = System.nanoTime();
            Main main = Tributary.create(new Tributary.Options(dir.resolve("pipelines"), dir.resolve("routes"), dir.resolve("data"), KafkaBroker.freePort()));
            main.start();
            PipelineRegistry registry = main.getCamelContext().getRegistry().lookupByNameAndType("pipelines", PipelineRegistry.class);
            PipelineRuntime toKafka = registry.get("bench-kafka").orElseThrow();
            PipelineRuntime toRocketMq = registry.get("bench-rocketmq").orElseThrow();
            waitUntil(() -> toKafka.counters().eventsOut.get() >= 1);
            System.out.printf("start → first change on Kafka (Camel start, slot + publication, snapshot of 1 row): %.2f s%n",
                    (System.nanoTime() - start) / 1e9);
            waitUntil(() -> toRocketMq.engine() != null && toRocketMq.engine().state() == sources.EngineStatus.State.RUNNING);
            toKafka.stop();
            toRocketMq.stop();

            RawEngine noSink = new RawEngine("raw_no_sink", pg.port(), dir.resolve("raw-offsets.dat"));
            RawEngine rawKafka = new RawEngine("raw_kafka", pg.port(), dir.resolve("raw-kafka-offsets.dat"));
            RawEngine rawMq = new RawEngine("raw_rocketmq", pg.port(), dir.resolve("raw-rocketmq-offsets.dat"));
            for (RawEngine raw : new RawEngine[]{noSink, rawKafka, rawMq}) {
                raw.createSlot();
            }
            int next = 1;
            for (String round : new String[]{"warm-up", "measured"}) {
                long t0 = System.nanoTime();
                pg.execute("postgres", "CALL single_row_inserts(" + next + ", " + (next + rows - 1) + ")");
                next += rows;
                System.out.printf("%s: %,d single-row transactions written in %.1f s%n", round, rows, (System.nanoTime() - t0) / 1e9);
                compare("PG → Kafka:           ", "KafkaProducer   ", rows, toKafka, rawKafka, () -> RawSenders.kafka(kafka.bootstrap(), "raw.t"));
                compare("PG → RocketMQ ordered:", "DefaultMQProducer", rows, toRocketMq, rawMq, () -> RawSenders.rocketmq(mq.namesrv(), "raw_t"));
                System.out.printf("  raw engine, no sink:   %,7.0f events/s%n", noSink.catchUp(rows, RawEngine.NO_SINK));
            }

            // live: the writer and the Kafka pipeline at the same time
            toKafka.start();
            long live0 = System.nanoTime();
            long beforeLive = toKafka.counters().eventsOut.get();
            pg.execute("postgres", "CALL single_row_inserts(" + next + ", " + (next + rows - 1) + ")");
            double writeSeconds = (System.nanoTime() - live0) / 1e9;
            waitUntil(() -> toKafka.counters().eventsOut.get() >= beforeLive + rows);
            double liveSeconds = (System.nanoTime() - live0) / 1e9;
            System.out.printf("live: %,d single-row transactions written in %.1f s while streaming to Kafka; all acknowledged after %.1f s "
                    + "(%,.0f events/s, bounded by the writer)%n", rows, writeSeconds, liveSeconds, rows / liveSeconds);
            main.stop();
            Dirs.delete(dir);
        }
        System.exit(0);
    }

    interface SenderFactory {
        RawEngine.BatchSender open() throws Exception;
    }

    /** Tributary, then the raw engine with the plain client, on the same backlog; prints both and the ratio. */
    private static void compare(String path, String client, int rows, PipelineRuntime pipeline, RawEngine raw, SenderFactory sender) throws Exception {
        double ours = catchUp(pipeline, rows);
        double baseline;
        try (RawEngine.BatchSender s = sender.open()) {
            baseline = raw.catchUp(rows, s);
        }
        System.out.printf("  %s Tributary %,7.0f events/s   raw engine + %s %,7.0f events/s   ratio %.2f%n",
                path, ours, client, baseline, ours / baseline);
    }

    /** Starts a stopped pipeline on its backlog; events/s from the first to the last acknowledged change. */
    private static double catchUp(PipelineRuntime pipeline, int rows) throws Exception {
        long before = pipeline.counters().eventsOut.get();
        pipeline.start();
        long[] first = {0};
        waitUntil(() -> {
            long out = pipeline.counters().eventsOut.get();
            if (first[0] == 0 && out > before) {
                first[0] = System.nanoTime();
            }
            return out >= before + rows;
        });
        double rate = rows / ((System.nanoTime() - first[0]) / 1e9);
        pipeline.stop();
        return rate;
    }

    /** Polls every millisecond: the figures are time-to-condition, so a coarser wait would blur them. */
    static void waitUntil(BooleanSupplier condition) throws InterruptedException {
        while (!condition.getAsBoolean()) {
            Thread.sleep(1);
        }
    }
}
