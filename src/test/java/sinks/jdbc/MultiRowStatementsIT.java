package sinks.jdbc;

import counters.PipelineCounters;
import model.ChangeEvent;
import model.Op;
import model.SourcePosition;
import model.TableId;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import testsupport.Postgres;
import testsupport.TestServers;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The JDBC sink writes several rows per PostgreSQL statement, on a real server: a batch where keys come again, with
 * deletes between, ends as the rows applied one by one would; a swap under a unique column keeps its order; and keys
 * that Java tells apart but the database does not (0.0 and -0.0) make the sink fall back to one row per statement
 * instead of failing the batch for ever.
 */
class MultiRowStatementsIT {

    private static final TableId SOURCE = new TableId("src", "public", "t");

    @Test
    void repeatedKeysAndDeletesEndAsRowByRowWouldLeaveThem() throws Exception {
        // ids 0-299, every 7th change a delete: short runs between deletes (a statement per row)
        repeatedKeysAndDeletes("multirow1", 300, 7);
        // ids 0-29, every 40th change a delete: runs of 30 rows cut by a repeated key (statements of 16, 8, 4 and 2 rows)
        repeatedKeysAndDeletes("multirow1b", 30, 40);
    }

    private static void repeatedKeysAndDeletes(String database, int ids, int deleteEvery) throws Exception {
        Postgres pg = TestServers.postgres();
        pg.createDatabase(database);
        pg.execute(database, "CREATE TABLE items (id int PRIMARY KEY, name text, qty int)");
        Map<String, String> types = types("id", "INT4", "name", "TEXT", "qty", "INT4");
        List<ChangeEvent> batch = new ArrayList<>();
        Map<Integer, String> expected = new TreeMap<>();
        int seq = 0;
        for (int i = 0; i < 1_500; i++) { // the ids come back again and again
            int id = (i * 37) % ids;
            if (i % deleteEvery == deleteEvery - 1) {
                batch.add(event(Op.DELETE, Map.of("id", id), null, types, ++seq));
                expected.remove(id);
            } else {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("id", id);
                row.put("name", "v" + i);
                row.put("qty", i);
                batch.add(event(expected.containsKey(id) ? Op.UPDATE : Op.CREATE, null, row, types, ++seq));
                expected.put(id, "v" + i + "/" + i);
            }
        }
        write(pg.jdbcUrl(database), "items", List.of(batch.subList(0, 700), batch.subList(700, batch.size())));
        assertEquals(expected, rows(pg.jdbcUrl(database), "SELECT id, name || '/' || qty FROM items"));
    }

    @Test
    void aSwapUnderAUniqueColumnKeepsItsOrder() throws Exception {
        Postgres pg = TestServers.postgres();
        pg.createDatabase("multirow2");
        pg.execute("multirow2", "CREATE TABLE people (id int PRIMARY KEY, email text UNIQUE)",
                "INSERT INTO people VALUES (1, 'a'), (2, 'b')");
        Map<String, String> types = types("id", "INT4", "email", "TEXT");
        // twenty other rows first: the swap's first half falls into a run long enough for statements of several rows
        List<ChangeEvent> batch = new ArrayList<>(padding(types, "email", 20));
        batch.addAll(List.of(
                event(Op.UPDATE, null, row("id", 1, "email", "tmp"), types, 101),
                event(Op.UPDATE, null, row("id", 2, "email", "a"), types, 102),
                event(Op.UPDATE, null, row("id", 1, "email", "b"), types, 103),
                event(Op.CREATE, null, row("id", 3, "email", "tmp"), types, 104)));
        write(pg.jdbcUrl("multirow2"), "people", List.of(batch));
        Map<Integer, String> people = rows(pg.jdbcUrl("multirow2"), "SELECT id, email FROM people WHERE id < 100");
        assertEquals(Map.of(1, "b", 2, "a", 3, "tmp"), people);
    }

    @Test
    void keysEqualOnlyToTheDatabaseFallBackToOneRowPerStatement() throws Exception {
        Postgres pg = TestServers.postgres();
        pg.createDatabase("multirow3");
        pg.execute("multirow3", "CREATE TABLE readings (k float8 PRIMARY KEY, v text)");
        Map<String, String> types = types("k", "FLOAT8", "v", "TEXT");
        // in a run long enough for statements of several rows: a run of fewer rows is written a row per statement
        List<ChangeEvent> batch = new ArrayList<>(List.of(
                event(Op.CREATE, null, row("k", 0.0, "v", "first"), types, 1),
                event(Op.UPDATE, null, row("k", -0.0, "v", "second"), types, 2),
                event(Op.CREATE, null, row("k", 2.0, "v", "other"), types, 3)));
        for (int i = 0; i < 20; i++) {
            batch.add(event(Op.CREATE, null, row("k", 100.0 + i, "v", "pad"), types, 4 + i));
        }
        write(pg.jdbcUrl("multirow3"), "readings", List.of(batch));
        assertEquals(Map.of(0, "second", 2, "other"), rows(pg.jdbcUrl("multirow3"), "SELECT k::int, v FROM readings WHERE k < 100"));
    }

    /** {@code count} creates of rows 200, 201, … with a distinct text in {@code column}. */
    private static List<ChangeEvent> padding(Map<String, String> types, String column, int count) {
        List<ChangeEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(event(Op.CREATE, null, row("id", 200 + i, column, "pad" + i), types, 1 + i));
        }
        return events;
    }

    private static void write(String url, String table, List<List<ChangeEvent>> batches) throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            JdbcSink sink = new JdbcSink(new JdbcSinkConfig(url, Postgres.USER, Postgres.PASSWORD, false, false, 1000, "fail"),
                    t -> table, new PipelineCounters());
            sink.start();
            try {
                for (List<ChangeEvent> batch : batches) {
                    Exchange exchange = new DefaultExchange(camel);
                    exchange.getIn().setBody(new ArrayList<>(batch));
                    sink.process(exchange);
                    if (exchange.getException() != null) {
                        throw exchange.getException();
                    }
                }
            } finally {
                sink.stop();
            }
        }
    }

    private static Map<Integer, String> rows(String url, String query) throws Exception {
        Map<Integer, String> rows = new TreeMap<>();
        try (Connection c = DriverManager.getConnection(url, Postgres.USER, Postgres.PASSWORD);
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            while (rs.next()) {
                rows.put(rs.getInt(1), rs.getString(2));
            }
        }
        return rows;
    }

    private static Map<String, String> types(String... nameType) {
        Map<String, String> types = new LinkedHashMap<>();
        for (int i = 0; i < nameType.length; i += 2) {
            types.put(nameType[i], nameType[i + 1]);
        }
        return types;
    }

    private static Map<String, Object> row(String c1, Object v1, String c2, Object v2) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put(c1, v1);
        row.put(c2, v2);
        return row;
    }

    private static ChangeEvent event(Op op, Map<String, Object> key, Map<String, Object> after, Map<String, String> types, int seq) {
        String keyColumn = types.keySet().iterator().next();
        Map<String, Object> before = op == Op.DELETE ? key : null;
        return ChangeEvent.row("multirow", op, SOURCE, before, after, List.of(keyColumn), types,
                new SourcePosition("postgresql", String.valueOf(seq), "1", seq, Instant.EPOCH, false));
    }
}
