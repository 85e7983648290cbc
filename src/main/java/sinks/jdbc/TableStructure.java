package sinks.jdbc;

import model.ChangeEvent;
import model.Op;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the sink knows of the target's tables — their columns — and the DDL that keeps them ahead of the rows: a table
 * created ({@code autoCreate}) or a column added ({@code autoEvolve}) before the first statement that needs it.
 * Forgotten when a transaction rolls back (DDL may go with it) or the connection is replaced.
 */
final class TableStructure {

    private static final Logger LOG = LoggerFactory.getLogger(TableStructure.class);

    private final JdbcSinkConfig target;
    private final Dialect dialect;
    /** Target columns known to exist, lower case, per target table. */
    private final Map<String, Set<String>> knownColumns = new HashMap<>();
    /** Their JDBC types (java.sql.Types), lower-case column → type, per target table; columns added since are not in it. */
    private final Map<String, Map<String, Integer>> columnTypes = new HashMap<>();

    TableStructure(JdbcSinkConfig target, Dialect dialect) {
        this.target = target;
        this.dialect = dialect;
    }

    void forget() {
        knownColumns.clear();
        columnTypes.clear();
    }

    /** The target table's column types as last read (lower-case names); empty before {@link #ensureColumns}. */
    Map<String, Integer> types(String table) {
        return columnTypes.getOrDefault(table, Map.of());
    }

    /**
     * Makes {@code table} hold every column of {@code event}.
     *
     * @param pending the batch's buffers, flushed before a column is added: some databases commit on DDL, and nothing
     *                of the batch may be left behind it unwritten
     */
    void ensureColumns(Connection c, String table, ChangeEvent event, Collection<TableBuffer> pending) throws SQLException {
        Set<String> known = knownColumns.get(table);
        if (known == null) {
            if (target.autoCreate() && event.op() != Op.DELETE) {
                execute(c, dialect.createTable(table, event.columns(), event.primaryKey()));
            }
            Map<String, Integer> types = readColumns(c, table);
            known = new TreeSet<>(types.keySet());
            columnTypes.put(table, types);
            if (known.isEmpty()) {
                throw new IllegalStateException("target table " + table + " does not exist (create it, or set sink.autoCreate: true)");
            }
            knownColumns.put(table, known);
        }
        for (Map.Entry<String, String> column : event.columns().entrySet()) {
            if (!known.contains(column.getKey().toLowerCase(Locale.ROOT))) {
                if (!target.autoEvolve()) {
                    throw new IllegalStateException("target table " + table + " has no column " + column.getKey()
                            + " (add it, or set sink.autoEvolve: true)");
                }
                for (TableBuffer b : pending) {
                    b.flush(c);
                }
                LOG.info("adding column {} {} to {}", column.getKey(), column.getValue(), table);
                execute(c, dialect.addColumn(table, column.getKey(), column.getValue()));
                known.add(column.getKey().toLowerCase(Locale.ROOT));
            }
        }
    }

    static void execute(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static Map<String, Integer> readColumns(Connection c, String table) throws SQLException {
        String schema = table.contains(".") ? table.substring(0, table.indexOf('.')) : null;
        String name = table.contains(".") ? table.substring(table.indexOf('.') + 1) : table;
        Map<String, Integer> columns = new HashMap<>();
        DatabaseMetaData meta = c.getMetaData();
        for (String candidate : new String[]{name, name.toLowerCase(Locale.ROOT), name.toUpperCase(Locale.ROOT)}) {
            try (ResultSet rs = meta.getColumns(schema == null ? c.getCatalog() : null, schema, candidate, null)) {
                while (rs.next()) {
                    columns.put(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT), rs.getInt("DATA_TYPE"));
                }
            }
            if (!columns.isEmpty()) {
                break;
            }
        }
        return columns;
    }
}
