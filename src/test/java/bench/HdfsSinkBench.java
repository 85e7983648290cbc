package bench;

import formats.DebeziumJsonFormat;
import model.ChangeEvent;
import model.Op;
import model.Row;
import model.SourcePosition;
import model.TableId;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import counters.PipelineCounters;
import sinks.hdfs.HdfsSink;
import sinks.hdfs.HdfsSinkConfig;
import testsupport.Dirs;
import testsupport.Hdfs;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A measurement, not a test ({@code mvn -Pbench package}): N change events (default 200,000; 10 columns; 9 rounds) through the
 * HDFS sink into an in-process HDFS, in batches of 2,048 (each hflushed, as the sink does), beside raw FileSystem
 * writes of the same JSON-lines bytes (already encoded; hflush per batch; temporary name, close, rename) and beside a
 * hand-written writer that encodes them too (one generator over the stream), in the same run. Also prints the csv and
 * parquet sinks. Asserts nothing.
 */
public final class HdfsSinkBench {

    static final int BATCH = 2048;
    /**
     * Rows per file, for every contender (the sink's rollRecords): each file is a new block pipeline, and on two cores a
     * pipeline's speed depends on where the scheduler puts its four threads (one file runs at 300k rows/s, the next
     * at 900k) — several files a round average that out.
     */
    static final int FILE_ROWS = Integer.getInteger("bench.fileRows", 50_000);
    /**
     * Every contender's client: closing a file polls the name node until the block is complete, first after 400 ms
     * by default — a pause per file that would measure the poll, not the writing.
     */
    static final Map<String, String> CLIENT = Map.of("dfs.client.block.write.locateFollowingBlock.initial.delay.ms", "10");
    /** The sink rolls after the batch that reaches rollRecords; the raw writers roll after the same batch. */
    static final int FILE_BATCHES = (FILE_ROWS + BATCH - 1) / BATCH;

    public static void main(String[] args) throws Exception {
        run(Integer.getInteger("bench.rows", 200_000));
        System.exit(0);
    }

    /** Prints every round and aggregate; returns the pooled JSON-lines and Parquet figures as rows of the suite's table. */
    static List<Suite.Row> run(int rows) throws Exception {
        List<List<ChangeEvent>> batches = events(rows);
        double[] pooled = new double[3];
        double[] cpuPerRow = new double[3];
        double[] parquet = new double[4];
        java.nio.file.Path state = Files.createTempDirectory("bench-hdfs-state");
        try (Hdfs hdfs = new Hdfs(); FileSystem fs = hdfs.client(CLIENT); DefaultCamelContext camel = new DefaultCamelContext()) {
            // rounds after a warm-up; the median of each contender (the data node, GC and the sink share two cores, and a
            // single round swings by half either way)
            int roundCount = Integer.getInteger("bench.rounds", 9);
            List<double[]> rounds = new ArrayList<>();
            double[] cpu = new double[3]; // CPU time per row (all threads of the process: the data node's too), summed
            for (int round = 0; round <= roundCount; round++) {
                int r = round;
                Contender[] contenders = {
                        () -> raw(fs, new Path("/raw-" + r), batches),
                        () -> byHand(fs, new Path("/hand-" + r), batches),
                        () -> sink(camel, hdfs.uri(), "jsonl", "/sink-" + r, state.resolve("r" + r), batches)};
                double[][] measured = new double[3][];
                for (int i = 0; i < 3; i++) { // the order turns each round: no contender always follows the same one
                    int c = (i + round) % 3;
                    measured[c] = cpuAndRate(contenders[c]);
                }
                double[] raw = measured[0];
                double[] byHand = measured[1];
                double[] jsonl = measured[2];
                System.out.printf("%-8s JSON lines: HDFS sink %,.0f rows/s (%.2f cores); raw writes of pre-encoded bytes %,.0f rows/s "
                        + "(%.2f cores); hand-written encode + write %,.0f rows/s (%.2f cores)%n", round == 0 ? "warm-up" : "round " + round,
                        jsonl[0], jsonl[1], raw[0], raw[1], byHand[0], byHand[1]);
                if (round > 0) {
                    rounds.add(new double[]{jsonl[0], raw[0], byHand[0]});
                    cpu[0] += jsonl[1] / jsonl[0];
                    cpu[1] += raw[1] / raw[0];
                    cpu[2] += byHand[1] / byHand[0];
                }
            }
            for (int i = 0; i < 3; i++) {
                cpuPerRow[i] = cpu[i] / roundCount * 1e6;
            }
            System.out.printf("cpu      per row, mean of the rounds: HDFS sink %.2f µs; raw writes %.2f µs; hand-written %.2f µs%n",
                    cpuPerRow[0], cpuPerRow[1], cpuPerRow[2]);
            for (String aggregate : new String[]{"median", "pooled"}) {
                double sink = aggregate(aggregate, rounds, 0);
                double raw = aggregate(aggregate, rounds, 1);
                double byHand = aggregate(aggregate, rounds, 2);
                pooled = new double[]{sink, raw, byHand};
                System.out.printf("%-8s %,d changes into HDFS as JSON lines: HDFS sink %,.0f rows/s; raw FileSystem writes of the same bytes "
                        + "(encoded beforehand) %,.0f rows/s, ratio %.2f; hand-written encode + write %,.0f rows/s, ratio %.2f%n",
                        aggregate, rows, sink, raw, sink / raw, byHand, sink / byHand);
            }
            double csv = sink(camel, hdfs.uri(), "csv", "/sink-csv", state.resolve("csv"), batches);
            System.out.printf("         %,d changes into HDFS as csv: HDFS sink %,.0f rows/s%n", rows, csv);
            // Parquet: the sink (Avro staging hflushed per batch, a Parquet copy written alongside and published on roll) beside a hand-written Parquet writer
            List<double[]> parquetRounds = new ArrayList<>();
            double[] parquetCpu = new double[2];
            int parquetRoundCount = Math.max(2, roundCount * 2 / 3);
            // two warm-up rounds each: the sink's Parquet path (staging, copy, background publish) was still being
            // compiled in the first measured round after one (1.3 cores at 200k rows/s, then 1.6 at 335-365k)
            int warmUps = 2;
            for (int round = 1 - warmUps; round <= parquetRoundCount; round++) {
                int r = round;
                Contender sinkRound = () -> sink(camel, hdfs.uri(), "parquet", "/sink-parquet-" + (r + warmUps), state.resolve("p" + (r + warmUps)), batches);
                Contender byHandRound = () -> {
                    long t0 = System.nanoTime();
                    long n = sinks.hdfs.ParquetByHand.write(fs, new Path("/hand-parquet-" + (r + warmUps)), batches, FILE_BATCHES);
                    return n / ((System.nanoTime() - t0) / 1e9);
                };
                // each goes first every other round: what one leaves the data node to do (deleting blocks, ...) falls
                // into the other's time, and neither should always be the one that pays
                double[] sink;
                double[] byHand;
                if (round % 2 == 0) {
                    sink = cpuAndRate(sinkRound);
                    byHand = cpuAndRate(byHandRound);
                } else {
                    byHand = cpuAndRate(byHandRound);
                    sink = cpuAndRate(sinkRound);
                }
                System.out.printf("%-8s Parquet: HDFS sink %,.0f rows/s (%.2f cores); hand-written Parquet writer %,.0f rows/s (%.2f cores)%n",
                        round <= 0 ? "warm-up" : "round " + round, sink[0], sink[1], byHand[0], byHand[1]);
                if (round > 0) {
                    parquetRounds.add(new double[]{sink[0], byHand[0]});
                    parquetCpu[0] += sink[1] / sink[0];
                    parquetCpu[1] += byHand[1] / byHand[0];
                }
            }
            parquet = new double[]{aggregate("pooled", parquetRounds, 0), aggregate("pooled", parquetRounds, 1),
                    parquetCpu[0] / parquetRoundCount * 1e6, parquetCpu[1] / parquetRoundCount * 1e6};
            System.out.printf("pooled   %,d changes into HDFS as Parquet: HDFS sink %,.0f rows/s (%.2f µs CPU/row); hand-written Parquet writer "
                    + "%,.0f rows/s (%.2f µs CPU/row), ratio %.2f%n", rows, parquet[0], parquet[2], parquet[1], parquet[3], parquet[0] / parquet[1]);
        } finally {
            Dirs.delete(state);
        }
        return List.of(new Suite.Row("HDFS sink: %,d changes as JSON lines (Debezium envelope), hflush per batch, MiniDFSCluster in this JVM".formatted(rows),
                        Suite.rate(pooled[0], "rows/s") + ", %.2f µs CPU/row".formatted(cpuPerRow[0]),
                        Suite.rate(pooled[1], "rows/s") + " raw writes of pre-encoded bytes; " + Suite.rate(pooled[2], "rows/s")
                                + " hand-written encode + write (%.2f µs CPU/row)".formatted(cpuPerRow[2]),
                        Suite.ratio(pooled[0], pooled[1]) + " / " + Suite.ratio(pooled[0], pooled[2]),
                        "≥ 1.0× hand-written (issue 21)", Suite.verdict(pooled[0] >= pooled[2])),
                new Suite.Row("HDFS sink: %,d changes as Parquet (Snappy), Avro staging hflushed per batch, Parquet copy written alongside, published on roll".formatted(rows),
                        Suite.rate(parquet[0], "rows/s") + ", %.2f µs CPU/row".formatted(parquet[2]),
                        Suite.rate(parquet[1], "rows/s") + " hand-written Parquet writer, no staging (%.2f µs CPU/row)".formatted(parquet[3]),
                        Suite.ratio(parquet[0], parquet[1]), "≥ 1.0× hand-written (issue 21)", Suite.verdict(parquet[0] >= parquet[1])));
    }

    interface Contender {
        double run() throws Exception;
    }

    /** {rows/s, cores busy}: the process's CPU time over the wall time of one contender's run (after a GC). */
    static double[] cpuAndRate(Contender contender) throws Exception {
        System.gc();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        double rate = contender.run();
        return new double[]{rate, (os.getProcessCpuTime() - cpu0) / (double) (System.nanoTime() - t0)};
    }

    static double sink(DefaultCamelContext camel, String uri, String format, String path, java.nio.file.Path state,
                       List<List<ChangeEvent>> batches) throws Exception {
        HdfsSinkConfig target = new HdfsSinkConfig(uri, path, format, "", Integer.MAX_VALUE, FILE_ROWS, 3_600_000, false, null, CLIENT);
        HdfsSink sink = new HdfsSink("bench", target, new DebeziumJsonFormat(), t -> t.table(), state, new PipelineCounters(), null);
        sink.start();
        long t0 = System.nanoTime();
        for (List<ChangeEvent> batch : batches) {
            Exchange exchange = new DefaultExchange(camel);
            exchange.getIn().setBody(batch);
            sink.process(exchange);
        }
        sink.stop(); // publishes the open part: part of the work
        return count(batches) / ((System.nanoTime() - t0) / 1e9);
    }

    /** The same bytes the JSON-lines sink writes, encoded before the clock starts. */
    static double raw(FileSystem fs, Path dir, List<List<ChangeEvent>> batches) throws Exception {
        DebeziumJsonFormat json = new DebeziumJsonFormat();
        List<byte[]> encoded = new ArrayList<>();
        for (List<ChangeEvent> batch : batches) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (ChangeEvent e : batch) {
                b.write(json.encode(e));
                b.write('\n');
            }
            encoded.add(b.toByteArray());
        }
        long t0 = System.nanoTime();
        for (int file = 0; file * FILE_BATCHES < encoded.size(); file++) {
            Path temp = new Path(dir, ".part-" + file + ".jsonl.inprogress");
            try (FSDataOutputStream out = fs.create(temp, false)) {
                for (byte[] batch : encoded.subList(file * FILE_BATCHES, Math.min(encoded.size(), (file + 1) * FILE_BATCHES))) {
                    out.write(batch);
                    out.hflush();
                }
            }
            fs.rename(temp, new Path(dir, "part-" + file + ".jsonl"));
        }
        return count(batches) / ((System.nanoTime() - t0) / 1e9);
    }

    /** What a hand-written writer does: one generator over the stream, the same format, hflush per batch, rename. */
    static double byHand(FileSystem fs, Path dir, List<List<ChangeEvent>> batches) throws Exception {
        DebeziumJsonFormat json = new DebeziumJsonFormat();
        long t0 = System.nanoTime();
        for (int file = 0; file * FILE_BATCHES < batches.size(); file++) {
            Path temp = new Path(dir, ".part-" + file + ".jsonl.inprogress");
            try (FSDataOutputStream out = fs.create(temp, false);
                 com.fasterxml.jackson.core.JsonGenerator g = formats.JsonValues.JSON.createGenerator((java.io.OutputStream) out)) {
                g.setRootValueSeparator(null);
                for (List<ChangeEvent> batch : batches.subList(file * FILE_BATCHES, Math.min(batches.size(), (file + 1) * FILE_BATCHES))) {
                    for (ChangeEvent e : batch) {
                        json.write(e, g);
                        g.writeRaw('\n');
                    }
                    g.flush();
                    out.hflush();
                }
            }
            fs.rename(temp, new Path(dir, "part-" + file + ".jsonl"));
        }
        return count(batches) / ((System.nanoTime() - t0) / 1e9);
    }

    /** The median of the rounds' rates, or the pooled rate (all rows over all the time: each round weighs its time). */
    static double aggregate(String how, List<double[]> rounds, int column) {
        double[] rates = rounds.stream().mapToDouble(r -> r[column]).sorted().toArray();
        return how.equals("median") ? rates[rates.length / 2] : rates.length / java.util.Arrays.stream(rates).map(r -> 1 / r).sum();
    }

    static int count(List<List<ChangeEvent>> batches) {
        return batches.stream().mapToInt(List::size).sum();
    }

    public static List<List<ChangeEvent>> events(int rows) {
        TableId table = new TableId("bench", "public", "orders");
        Map<String, String> columns = new LinkedHashMap<>();
        for (String c : new String[]{"id:INT4", "name:TEXT", "price:NUMERIC(12,2)", "qty:INT4", "ratio:FLOAT8", "active:BOOL",
                "created:TIMESTAMP", "note:VARCHAR(100)", "code:INT8", "flag:INT2"}) {
            columns.put(c.split(":")[0], c.split(":")[1]);
        }
        Instant commit = Instant.parse("2026-11-22T10:00:00Z");
        List<List<ChangeEvent>> batches = new ArrayList<>();
        List<ChangeEvent> batch = new ArrayList<>();
        Row.Columns shape = Row.Columns.of(List.copyOf(columns.keySet()));
        // as the sources build them: one unmodifiable types map shared by the table version's events
        Map<String, String> types = java.util.Collections.unmodifiableMap(columns);
        for (int i = 1; i <= rows; i++) {
            // as the sources build them: one value array over the table version's column names
            Map<String, Object> row = shape.row(new Object[]{
                    i,
                    "customer " + i,
                    BigDecimal.valueOf(i, 2),
                    i % 100,
                    i / 7.0,
                    i % 2 == 0,
                    LocalDateTime.parse("2026-11-22T10:00:00").plusSeconds(i),
                    "note number " + i,
                    i * 1_000_003L,
                    (short) (i % 3)});
            batch.add(ChangeEvent.row("bench", Op.CREATE, table, null, row, List.of("id"), types,
                    new SourcePosition("postgresql", String.valueOf(1000 + i), String.valueOf(i), 1, commit, false)));
            if (batch.size() == BATCH) {
                batches.add(batch);
                batch = new ArrayList<>();
            }
        }
        if (!batch.isEmpty()) {
            batches.add(batch);
        }
        return batches;
    }
}
