package sinks.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Statements waiting to be executed for one target table, all of one kind (upsert, insert or delete) and one column
 * list, executed as one JDBC batch.
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
    private final List<List<Object>> rows = new ArrayList<>();

    /** @param key empty: the table has no primary key, its rows are inserted */
    TableBuffer(Dialect dialect, String table, boolean delete, List<String> columns, Map<String, String> types,
                Map<String, Integer> targetTypes, List<String> key) {
        this.dialect = dialect;
        this.targetTypes = targetTypes;
        this.table = table;
        this.delete = delete;
        this.columns = columns;
        this.types = types;
        this.sql = delete ? dialect.delete(table, columns, types)
                : key.isEmpty() ? dialect.insert(table, columns, types) : dialect.upsert(table, columns, key, types);
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
        try (PreparedStatement st = c.prepareStatement(sql)) {
            for (List<Object> row : rows) {
                for (int i = 0; i < columns.size(); i++) {
                    String column = columns.get(i);
                    String sourceType = types.get(column);
                    Object value = sourceType == null || sourceType.isEmpty()
                            ? TargetValues.fit(row.get(i), sourceType, targetTypes.get(column.toLowerCase(java.util.Locale.ROOT))) : row.get(i);
                    dialect.bind(st, i + 1, value, sourceType);
                }
                st.addBatch();
            }
            st.executeBatch();
        }
        rows.clear();
    }
}
