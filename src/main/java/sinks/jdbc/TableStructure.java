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

    TableStructure(JdbcSinkConfig target, Dialect dialect) {
        this.target = target;
        this.dialect = dialect;
    }

    void forget() {
        knownColumns.clear();
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
            known = readColumns(c, table);
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

    private static Set<String> readColumns(Connection c, String table) throws SQLException {
        String schema = table.contains(".") ? table.substring(0, table.indexOf('.')) : null;
        String name = table.contains(".") ? table.substring(table.indexOf('.') + 1) : table;
        Set<String> columns = new TreeSet<>();
        DatabaseMetaData meta = c.getMetaData();
        for (String candidate : new String[]{name, name.toLowerCase(Locale.ROOT), name.toUpperCase(Locale.ROOT)}) {
            try (ResultSet rs = meta.getColumns(schema == null ? c.getCatalog() : null, schema, candidate, null)) {
                while (rs.next()) {
                    columns.add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                }
            }
            if (!columns.isEmpty()) {
                break;
            }
        }
        return columns;
    }
}
