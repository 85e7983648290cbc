package bench;

import app.Tributary;
import org.apache.camel.main.Main;
import runtime.PipelineRegistry;
import runtime.PipelineRuntime;
import testsupport.Dirs;
import testsupport.KafkaBroker;
import testsupport.Postgres;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A measurement, not a test (mvn -Pbench package): PostgreSQL → Kafka throughput for N single-row transactions
 * (default 200,000), caught up from a backlog, and the time from start to the first delivered change.
 * Prints figures; asserts nothing.
 */
public final class PgToKafkaThroughput {

    public static void main(String[] args) throws Exception {
        int rows = Integer.getInteger("bench.rows", 200_000);
        try (Postgres pg = new Postgres(); KafkaBroker kafka = new KafkaBroker()) {
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
            Files.writeString(dir.resolve("pipelines/bench.yaml"), """
                    pipeline: bench
                    source: {type: postgres, host: localhost, port: %d, database: postgres, user: postgres, password: pw}
                    mode: full-and-incremental
                    objects: [{table: public.t, topic: bench.t}]
                    sink: {type: kafka, brokers: "%s"}
                    """.formatted(pg.port(), kafka.bootstrap()));
            long start = System.nanoTime();
            Main main = Tributary.create(new Tributary.Options(dir.resolve("pipelines"), dir.resolve("routes"), dir.resolve("data"), KafkaBroker.freePort()));
            main.start();
            PipelineRuntime pipeline = main.getCamelContext().getRegistry().lookupByNameAndType("pipelines", PipelineRegistry.class)
                    .get("bench").orElseThrow();
            waitUntil(() -> pipeline.counters().eventsOut.get() >= 1);
            System.out.printf("start → first change on Kafka (Camel start, slot + publication, snapshot of 1 row): %.2f s%n",
                    (System.nanoTime() - start) / 1e9);

            pipeline.stop();
            RawEngine raw = new RawEngine("raw_no_sink", pg.port(), dir.resolve("raw-offsets.dat"), null);
            raw.createSlot();
            RawEngine rawKafka = new RawEngine("raw_kafka", pg.port(), dir.resolve("raw-kafka-offsets.dat"), kafka.bootstrap());
            rawKafka.createSlot();
            int next = 1;
            for (String round : new String[]{"warm-up", "measured"}) {
                long t0 = System.nanoTime();
                pg.execute("postgres", "CALL single_row_inserts(" + next + ", " + (next + rows - 1) + ")");
                next += rows;
                double write = (System.nanoTime() - t0) / 1e9;
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
                double ours = rows / ((System.nanoTime() - first[0]) / 1e9);
                pipeline.stop();
                double baseline = rawKafka.catchUp(rows);
                double noSink = raw.catchUp(rows);
                System.out.printf("%-8s backlog of %,d single-row transactions (written in %.1f s): Tributary PG → Kafka %,.0f events/s; "
                        + "raw Debezium engine + KafkaProducer %,.0f events/s (ratio %.2f); raw engine, no sink %,.0f events/s%n",
                        round, rows, write, ours, baseline, ours / baseline, noSink);
            }

            // live: the writer and the pipeline at the same time
            pipeline.start();
            long live0 = System.nanoTime();
            long beforeLive = pipeline.counters().eventsOut.get();
            pg.execute("postgres", "CALL single_row_inserts(" + next + ", " + (next + rows - 1) + ")");
            double writeSeconds = (System.nanoTime() - live0) / 1e9;
            waitUntil(() -> pipeline.counters().eventsOut.get() >= beforeLive + rows);
            double liveSeconds = (System.nanoTime() - live0) / 1e9;
            System.out.printf("live     %,d single-row transactions written in %.1f s while streaming; all acknowledged by Kafka after %.1f s "
                    + "(%,.0f events/s, bounded by the writer)%n", rows, writeSeconds, liveSeconds, rows / liveSeconds);
            main.stop();
            Dirs.delete(dir);
        }
        System.exit(0);
    }

    /** Polls every millisecond: the figures are time-to-condition, so a coarser wait would blur them. */
    static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        while (!condition.getAsBoolean()) {
            Thread.sleep(1);
        }
    }
}
