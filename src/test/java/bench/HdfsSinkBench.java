package bench;

import config.PipelineSpec.HdfsTarget;
import formats.DebeziumJsonFormat;
import model.ChangeEvent;
import model.Op;
import model.SourcePosition;
import model.TableId;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import runtime.PipelineCounters;
import sinks.hdfs.HdfsSink;
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
 * A measurement, not a test ({@code mvn -Pbench package}): N change events (default 200,000; 10 columns) through the
 * HDFS sink into an in-process HDFS, in batches of 2,048 (each hflushed, as the sink does), beside raw FileSystem
 * writes of the same JSON-lines bytes (already encoded; hflush per batch; temporary name, close, rename) and beside a
 * hand-written writer that encodes them too (one generator over the stream), in the same run. Also prints the csv and
 * parquet sinks. Asserts nothing.
 */
public final class HdfsSinkBench {

    static final int BATCH = 2048;

    public static void main(String[] args) throws Exception {
        int rows = Integer.getInteger("bench.rows", 200_000);
        List<List<ChangeEvent>> batches = events(rows);
        java.nio.file.Path state = Files.createTempDirectory("bench-hdfs-state");
        try (Hdfs hdfs = new Hdfs(); FileSystem fs = hdfs.client(); DefaultCamelContext camel = new DefaultCamelContext()) {
            // five rounds after a warm-up; the median of each contender (the data node, GC and the sink share two cores)
            List<double[]> rounds = new ArrayList<>();
            for (int round = 0; round <= 5; round++) {
                System.gc();
                double raw = raw(fs, new Path("/raw-" + round), batches);
                System.gc();
                double byHand = byHand(fs, new Path("/hand-" + round), batches);
                System.gc();
                double jsonl = sink(camel, hdfs.uri(), "jsonl", "/sink-" + round, state.resolve("r" + round), batches);
                System.out.printf("%-8s JSON lines: HDFS sink %,.0f rows/s; raw writes of pre-encoded bytes %,.0f rows/s; "
                        + "hand-written encode + write %,.0f rows/s%n", round == 0 ? "warm-up" : "round " + round, jsonl, raw, byHand);
                if (round > 0) {
                    rounds.add(new double[]{jsonl, raw, byHand});
                }
            }
            double sink = median(rounds, 0);
            double raw = median(rounds, 1);
            double byHand = median(rounds, 2);
            System.out.printf("median   %,d changes into HDFS as JSON lines: HDFS sink %,.0f rows/s; raw FileSystem writes of the same bytes "
                    + "(encoded beforehand) %,.0f rows/s, ratio %.2f; hand-written encode + write %,.0f rows/s, ratio %.2f%n",
                    rows, sink, raw, sink / raw, byHand, sink / byHand);
            for (String format : new String[]{"csv", "parquet"}) {
                double r = sink(camel, hdfs.uri(), format, "/sink-" + format, state.resolve(format), batches);
                System.out.printf("         %,d changes into HDFS as %s: HDFS sink %,.0f rows/s%n", rows, format, r);
            }
        } finally {
            Dirs.delete(state);
        }
    }

    static double sink(DefaultCamelContext camel, String uri, String format, String path, java.nio.file.Path state,
                       List<List<ChangeEvent>> batches) throws Exception {
        HdfsTarget target = new HdfsTarget(uri, path, format, "", Integer.MAX_VALUE, 1_000_000, 3_600_000, false, null, Map.of());
        HdfsSink sink = new HdfsSink("bench", target, new DebeziumJsonFormat(), t -> t.table(), state, new PipelineCounters());
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
        Path temp = new Path(dir, ".part-00001.jsonl.inprogress");
        try (FSDataOutputStream out = fs.create(temp, false)) {
            for (byte[] batch : encoded) {
                out.write(batch);
                out.hflush();
            }
        }
        fs.rename(temp, new Path(dir, "part-00001.jsonl"));
        return count(batches) / ((System.nanoTime() - t0) / 1e9);
    }

    /** What a hand-written writer does: one generator over the stream, the same format, hflush per batch, rename. */
    static double byHand(FileSystem fs, Path dir, List<List<ChangeEvent>> batches) throws Exception {
        DebeziumJsonFormat json = new DebeziumJsonFormat();
        long t0 = System.nanoTime();
        Path temp = new Path(dir, ".part-00001.jsonl.inprogress");
        try (FSDataOutputStream out = fs.create(temp, false);
             com.fasterxml.jackson.core.JsonGenerator g = formats.JsonValues.JSON.createGenerator((java.io.OutputStream) out)) {
            g.setRootValueSeparator(null);
            for (List<ChangeEvent> batch : batches) {
                for (ChangeEvent e : batch) {
                    json.write(e, g);
                    g.writeRaw('\n');
                }
                g.flush();
                out.hflush();
            }
        }
        fs.rename(temp, new Path(dir, "part-00001.jsonl"));
        return count(batches) / ((System.nanoTime() - t0) / 1e9);
    }

    static double median(List<double[]> rounds, int column) {
        double[] values = rounds.stream().mapToDouble(r -> r[column]).sorted().toArray();
        return values[values.length / 2];
    }

    static int count(List<List<ChangeEvent>> batches) {
        return batches.stream().mapToInt(List::size).sum();
    }

    static List<List<ChangeEvent>> events(int rows) {
        TableId table = new TableId("bench", "public", "orders");
        Map<String, String> columns = new LinkedHashMap<>();
        for (String c : new String[]{"id:INT4", "name:TEXT", "price:NUMERIC(12,2)", "qty:INT4", "ratio:FLOAT8", "active:BOOL",
                "created:TIMESTAMP", "note:VARCHAR(100)", "code:INT8", "flag:INT2"}) {
            columns.put(c.split(":")[0], c.split(":")[1]);
        }
        Instant commit = Instant.parse("2026-11-22T10:00:00Z");
        List<List<ChangeEvent>> batches = new ArrayList<>();
        List<ChangeEvent> batch = new ArrayList<>();
        for (int i = 1; i <= rows; i++) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", i);
            row.put("name", "customer " + i);
            row.put("price", BigDecimal.valueOf(i, 2));
            row.put("qty", i % 100);
            row.put("ratio", i / 7.0);
            row.put("active", i % 2 == 0);
            row.put("created", LocalDateTime.parse("2026-11-22T10:00:00").plusSeconds(i));
            row.put("note", "note number " + i);
            row.put("code", i * 1_000_003L);
            row.put("flag", (short) (i % 3));
            batch.add(ChangeEvent.row("bench", Op.CREATE, table, null, row, List.of("id"), columns,
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
