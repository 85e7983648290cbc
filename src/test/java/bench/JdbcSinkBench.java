package bench;

import model.ChangeEvent;
import model.Op;
import model.Row;
import model.SourcePosition;
import model.TableId;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import counters.PipelineCounters;
import sinks.jdbc.JdbcSink;
import sinks.jdbc.JdbcSinkConfig;
import testsupport.Postgres;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A measurement, not a test ({@code mvn -Pbench package}): N change events (default 200,000; 10 columns) through the
 * JDBC sink into PostgreSQL, beside a hand-written batched JDBC upsert of the same rows on the same server in the same
 * run — each batch of 2,048 one transaction, as the sink does. Prints rows/s and the ratio; asserts nothing.
 */
public final class JdbcSinkBench {

    static final int BATCH = 2048;

    public static void main(String[] args) throws Exception {
        run(Integer.getInteger("bench.rows", 200_000));
        System.exit(0);
    }

    /**
     * A warm-up round, then {@code bench.rounds} (default 5) measured ones, the two contenders taking turns going first
     * (the server's state after a round — autovacuum, checkpoints — falls on each alike); prints every round, returns the
     * medians as a row of the suite's table with the rounds' spread of the ratio.
     */
    static Suite.Row run(int rows) throws Exception {
        int roundCount = Integer.getInteger("bench.rounds", 5);
        List<double[]> rounds = new ArrayList<>();
        try (Postgres pg = new Postgres(); DefaultCamelContext camel = new DefaultCamelContext()) {
            pg.createDatabase("bench_target");
            String columns = "(id int PRIMARY KEY, name text, price numeric(12,2), qty int, ratio double precision, active boolean, "
                    + "created timestamp(6), note varchar(100), code bigint, flag smallint)";
            pg.execute("bench_target", "CREATE TABLE by_sink " + columns, "CREATE TABLE by_hand " + columns);
            List<List<ChangeEvent>> batches = events(rows);
            String url = "jdbc:postgresql://localhost:" + pg.port() + "/bench_target";
            for (int round = 0; round <= roundCount; round++) {
                pg.execute("bench_target", "TRUNCATE by_sink", "TRUNCATE by_hand", "CHECKPOINT");
                double ours;
                double baseline;
                if (round % 2 == 0) {
                    ours = bySink(camel, url, batches);
                    baseline = byHand(url, batches);
                } else {
                    baseline = byHand(url, batches);
                    ours = bySink(camel, url, batches);
                }
                System.out.printf("%-8s %,d upserts into PostgreSQL: JDBC sink %,.0f rows/s; hand-written batched upsert %,.0f rows/s; ratio %.2f%n",
                        round == 0 ? "warm-up" : "round " + round, rows, ours, baseline, ours / baseline);
                if (round > 0) {
                    rounds.add(new double[]{ours, baseline, ours / baseline});
                }
            }
        }
        double ours = HdfsSinkBench.aggregate("median", rounds, 0);
        double baseline = HdfsSinkBench.aggregate("median", rounds, 1);
        double[] ratios = rounds.stream().mapToDouble(r -> r[2]).sorted().toArray();
        System.out.printf("median   JDBC sink %,.0f rows/s; hand-written %,.0f rows/s; ratio of the medians %.2f, rounds' ratios %.2f–%.2f%n",
                ours, baseline, ours / baseline, ratios[0], ratios[ratios.length - 1]);
        return new Suite.Row("JDBC sink → PostgreSQL: %,d upserts, 10 columns, batches of %,d (median of %d rounds)".formatted(rows, BATCH, roundCount),
                Suite.rate(ours, "rows/s"), Suite.rate(baseline, "rows/s") + " (hand-written batched upsert)",
                Suite.ratio(ours, baseline) + " (rounds %.2f–%.2f)".formatted(ratios[0], ratios[ratios.length - 1]),
                "≥ 1.0×", Suite.verdict(ours >= baseline));
    }

    static double bySink(DefaultCamelContext camel, String url, List<List<ChangeEvent>> batches) throws Exception {
        JdbcSink sink = new JdbcSink(new JdbcSinkConfig(url, "postgres", "pw", false, false, 1000, "fail"), t -> "by_sink", new PipelineCounters());
        sink.start();
        try {
            long t0 = System.nanoTime();
            for (List<ChangeEvent> batch : batches) {
                Exchange exchange = new DefaultExchange(camel);
                exchange.getIn().setBody(batch);
                sink.process(exchange);
            }
            return HdfsSinkBench.count(batches) / ((System.nanoTime() - t0) / 1e9);
        } finally {
            sink.stop();
        }
    }

    /** The baseline: one prepared upsert, addBatch per row, executeBatch per 1,000, commit per source batch. */
    static double byHand(String url, List<List<ChangeEvent>> batches) throws Exception {
        String sql = "INSERT INTO by_hand (id, name, price, qty, ratio, active, created, note, code, flag) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, price = EXCLUDED.price, qty = EXCLUDED.qty, ratio = EXCLUDED.ratio, "
                + "active = EXCLUDED.active, created = EXCLUDED.created, note = EXCLUDED.note, code = EXCLUDED.code, flag = EXCLUDED.flag";
        int rows = 0;
        long t0 = System.nanoTime();
        try (Connection c = java.sql.DriverManager.getConnection(url, "postgres", "pw"); PreparedStatement st = c.prepareStatement(sql)) {
            c.setAutoCommit(false);
            for (List<ChangeEvent> batch : batches) {
                int n = 0;
                for (ChangeEvent e : batch) {
                    Map<String, Object> r = e.after();
                    st.setInt(1, (Integer) r.get("id"));
                    st.setString(2, (String) r.get("name"));
                    st.setBigDecimal(3, (BigDecimal) r.get("price"));
                    st.setInt(4, (Integer) r.get("qty"));
                    st.setDouble(5, (Double) r.get("ratio"));
                    st.setBoolean(6, (Boolean) r.get("active"));
                    st.setTimestamp(7, Timestamp.valueOf((LocalDateTime) r.get("created")));
                    st.setString(8, (String) r.get("note"));
                    st.setLong(9, (Long) r.get("code"));
                    st.setShort(10, (Short) r.get("flag"));
                    st.addBatch();
                    if (++n % 1000 == 0) {
                        st.executeBatch();
                    }
                    rows++;
                }
                st.executeBatch();
                c.commit();
            }
        }
        return rows / ((System.nanoTime() - t0) / 1e9);
    }

    static List<List<ChangeEvent>> events(int rows) {
        Map<String, String> types = new LinkedHashMap<>();
        for (String[] c : new String[][]{{"id", "INT4"}, {"name", "TEXT"}, {"price", "NUMERIC(12,2)"}, {"qty", "INT4"}, {"ratio", "FLOAT8"},
                {"active", "BOOL"}, {"created", "TIMESTAMP"}, {"note", "VARCHAR(100)"}, {"code", "INT8"}, {"flag", "INT2"}}) {
            types.put(c[0], c[1]);
        }
        TableId table = new TableId("src", "public", "t");
        List<List<ChangeEvent>> batches = new ArrayList<>();
        List<ChangeEvent> batch = new ArrayList<>();
        Row.Columns shape = Row.Columns.of(List.copyOf(types.keySet()));
        for (int i = 1; i <= rows; i++) {
            // as the sources build them: one value array over the table version's column names
            Map<String, Object> row = shape.row(new Object[]{
                    i,
                    "row " + i,
                    BigDecimal.valueOf(i, 2),
                    i % 1000,
                    i / 7.0,
                    i % 2 == 0,
                    LocalDateTime.of(2026, 11, 22, 3, 0).plusSeconds(i),
                    "note " + (i % 97),
                    i * 1_000_003L,
                    (short) (i % 100)});
            batch.add(ChangeEvent.row("bench", Op.CREATE, table, null, row, List.of("id"), types,
                    new SourcePosition("postgresql", String.valueOf(i), "1", i, Instant.EPOCH, false)));
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
