package sinks.jdbc;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Statements waiting to be executed for one target table, all of one kind (upsert, insert or delete) and one column
 * list, executed as one JDBC batch — inserts and upserts several rows to a statement where the dialect allows it.
 */
final class TableBuffer {

    final String table;
    private final boolean delete;
    private final List<String> columns;
    private final Map<String, String> types;
    /** The target columns' JDBC types (lower-case names), to fit values of unknown source type ({@link TargetValues}). */
    private final Map<String, Integer> targetTypes;
    private final Dialect dialect;
    private final String sql;
    private final List<String> key;
    /** Where the key's columns are in a row; null when a key column is missing (then one row per statement). */
    private final int[] keyAt;
    /** Rows per insert or upsert statement (Dialect#rowsPerStatement); 1 for deletes. */
    private final int rowsPerStatement;
    private final List<List<Object>> rows = new ArrayList<>();
    /** Runs of fewer rows are written a row per statement ({@link Statements#add}). */
    static final int SHORT_RUN = 16;

    /**
     * @param key empty: the table has no primary key, its rows are inserted
     * @param multiRow whether insert and upsert statements may carry several rows (the dialect says how many)
     */
    TableBuffer(Dialect dialect, String table, boolean delete, List<String> columns, Map<String, String> types,
                Map<String, Integer> targetTypes, List<String> key, boolean multiRow) {
        this.dialect = dialect;
        this.targetTypes = targetTypes;
        this.table = table;
        this.delete = delete;
        this.columns = columns;
        this.types = types;
        this.key = key;
        int[] at = key.stream().mapToInt(columns::indexOf).toArray();
        this.keyAt = java.util.Arrays.stream(at).anyMatch(i -> i < 0) ? null : at;
        this.rowsPerStatement = delete || !multiRow || keyAt == null ? 1 : dialect.rowsPerStatement(columns.size());
        this.sql = statement(1);
    }

    private String statement(int rowCount) {
        return delete ? dialect.delete(table, columns, types)
                : key.isEmpty() ? dialect.insert(table, columns, types, rowCount) : dialect.upsert(table, columns, key, types, rowCount);
    }

    /** A row of this kind and these columns can join the buffer; else the buffer is flushed first (source order). */
    boolean takes(boolean delete, List<String> columns) {
        return this.delete == delete && this.columns.equals(columns);
    }

    void add(List<Object> row) {
        rows.add(row);
    }

    int size() {
        return rows.size();
    }

    /** Drops the rows without executing them (their statement failed behind a savepoint). */
    void discard() {
        rows.clear();
    }

    void flush(Connection c) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        if (rowsPerStatement == 1) {
            try (PreparedStatement st = c.prepareStatement(sql)) {
                for (List<Object> row : rows) {
                    bind(st, row, 0);
                    st.addBatch();
                }
                st.executeBatch();
            }
        } else {
            flushInStatementsOfManyRows(c);
        }
        rows.clear();
    }

    /**
     * The rows in source order, cut into runs of at most {@link #rowsPerStatement} rows with distinct keys (a key seen
     * again starts a new run, so that no statement touches a row twice); each run as statements of power-of-two row
     * counts, so that a table needs few distinct statements. Statements of one row count follow each other in one
     * JDBC batch; the batch is executed before a statement of another count, keeping the order.
     */
    private void flushInStatementsOfManyRows(Connection c) throws SQLException {
        try (Statements statements = new Statements(c)) {
            List<List<Object>> run = new ArrayList<>(rowsPerStatement);
            Set<Object> keysInRun = new HashSet<>();
            for (List<Object> row : rows) {
                Object rowKey = key.isEmpty() ? null : keyOf(row);
                if (run.size() == rowsPerStatement || (rowKey != null && keysInRun.contains(rowKey))) {
                    statements.add(run);
                    run.clear();
                    keysInRun.clear();
                }
                run.add(row);
                if (rowKey != null) {
                    keysInRun.add(rowKey);
                }
            }
            statements.add(run);
            statements.executePending();
        }
    }

    /** A row's key values as the database compares them: a number by value (1.0 = 1.00), bytes by content. */
    private Object keyOf(List<Object> row) {
        if (keyAt.length == 1) {
            return comparable(row.get(keyAt[0]));
        }
        List<Object> values = new ArrayList<>(keyAt.length);
        for (int at : keyAt) {
            values.add(comparable(row.get(at)));
        }
        return values;
    }

    private static Object comparable(Object value) {
        if (value instanceof BigDecimal d) {
            return d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros();
        }
        return value instanceof byte[] b ? ByteBuffer.wrap(b) : value;
    }

    private void bind(PreparedStatement st, List<Object> row, int offset) throws SQLException {
        for (int i = 0; i < columns.size(); i++) {
            String column = columns.get(i);
            String sourceType = types.get(column);
            Object value = sourceType == null || sourceType.isEmpty()
                    ? TargetValues.fit(row.get(i), sourceType, targetTypes.get(column.toLowerCase(java.util.Locale.ROOT))) : row.get(i);
            dialect.bind(st, offset + i + 1, value, sourceType);
        }
    }

    /** The prepared statements of one flush by row count, and the one whose batch is not executed yet. */
    private final class Statements implements AutoCloseable {
        private final Connection connection;
        private final Map<Integer, PreparedStatement> byRowCount = new HashMap<>();
        private PreparedStatement pending;

        Statements(Connection connection) {
            this.connection = connection;
        }

        /**
         * The run's rows as statements of power-of-two row counts, largest first — or, for a short run, a statement per
         * row: each change of statement executes the pending JDBC batch (a round trip), and short runs between repeated
         * keys (a row inserted and updated a few changes later, as OLTP writes) would otherwise cost more round trips
         * than the rows they carry save; one-row statements of consecutive short runs share one batch.
         */
        void add(List<List<Object>> run) throws SQLException {
            int from = 0;
            while (from < run.size()) {
                int count = run.size() < SHORT_RUN ? 1 : Integer.highestOneBit(run.size() - from);
                PreparedStatement st = byRowCount.get(count);
                if (st == null) {
                    st = connection.prepareStatement(statement(count));
                    byRowCount.put(count, st);
                }
                if (pending != null && pending != st) {
                    pending.executeBatch();
                }
                for (int r = 0; r < count; r++) {
                    bind(st, run.get(from + r), r * columns.size());
                }
                st.addBatch();
                pending = st;
                from += count;
            }
        }

        void executePending() throws SQLException {
            if (pending != null) {
                pending.executeBatch();
                pending = null;
            }
        }

        @Override
        public void close() throws SQLException {
            SQLException first = null;
            for (PreparedStatement st : byRowCount.values()) {
                try {
                    st.close();
                } catch (SQLException e) {
                    first = first == null ? e : first;
                }
            }
            if (first != null) {
                throw first;
            }
        }
    }
}
