package sinks.jdbc;

import config.PipelineSpec.JdbcTarget;
import model.ChangeEvent;
import model.Op;
import model.TableId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import runtime.PipelineCounters;
import sinks.BatchSink;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The JDBC sink (docs/sinks/jdbc.md): keeps a target database equal to the source. A batch is written in one
 * transaction — create/update/read as upserts, delete as delete-by-key — batched per target table and statement;
 * a table's buffer is flushed when its operation kind changes (an insert after a delete of the same key stays after
 * it) and before its schema changes. The batch's offsets are committed only after the commit. Upserts make
 * re-delivery harmless.
 */
public class JdbcSink extends BatchSink {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcSink.class);

    private final JdbcTarget target;
    private final Dialect dialect;
    private final Function<TableId, String> targetTables;
    /** Target columns we know exist, lower case, per target table. */
    private final Map<String, Set<String>> knownColumns = new HashMap<>();
    private Connection connection;

    public JdbcSink(JdbcTarget target, Function<TableId, String> targetTables, PipelineCounters counters) {
        super(counters);
        this.target = target;
        this.dialect = Dialects.forUrl(target.url());
        this.targetTables = targetTables;
    }

    @Override
    protected void doStop() {
        closeConnection();
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // closing a broken connection
            }
            connection = null;
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null || !connection.isValid(2)) {
            closeConnection();
            connection = DriverManager.getConnection(target.url(), target.user(), target.password());
            connection.setAutoCommit(false);
            knownColumns.clear();
        }
        return connection;
    }

    /** Statements waiting to be executed for one target table: all of one kind and one column list. */
    private final class Buffer {
        final String table;
        final boolean delete;
        final List<String> columns;
        final Map<String, String> types;
        final String sql;
        final List<List<Object>> rows = new ArrayList<>();

        Buffer(String table, boolean delete, List<String> columns, Map<String, String> types, List<String> key) {
            this.table = table;
            this.delete = delete;
            this.columns = columns;
            this.types = types;
            this.sql = delete ? dialect.delete(table, columns, types)
                    : key.isEmpty() ? dialect.insert(table, columns, types) : dialect.upsert(table, columns, key, types);
        }

        void flush(Connection c) throws SQLException {
            if (rows.isEmpty()) {
                return;
            }
            try (PreparedStatement st = c.prepareStatement(sql)) {
                for (List<Object> row : rows) {
                    for (int i = 0; i < columns.size(); i++) {
                        dialect.bind(st, i + 1, row.get(i), types.get(columns.get(i)));
                    }
                    st.addBatch();
                }
                st.executeBatch();
            }
            rows.clear();
        }
    }

    @Override
    protected void deliver(List<ChangeEvent> events) throws Exception {
        Connection c = connection();
        Map<String, Buffer> buffers = new LinkedHashMap<>();
        try {
            for (ChangeEvent event : events) {
                if (event.op() == Op.DDL) {
                    continue; // schema changes reach the target through the next row's columns (auto-evolve)
                }
                String table = targetTables.apply(event.table());
                List<String> key = event.primaryKey();
                if (key.isEmpty() && !"insert".equals(target.noPrimaryKey())) {
                    throw new IllegalStateException("table " + event.table().qualifiedName() + " has no primary key: an upsert "
                            + "cannot find its row (set sink.noPrimaryKey: insert to insert its changes)");
                }
                if (key.isEmpty() && event.op() != Op.CREATE && event.op() != Op.READ) {
                    counters.eventsFiltered.incrementAndGet(); // insert-only mode: an update or delete cannot be applied
                    continue;
                }
                boolean delete = event.op() == Op.DELETE;
                Map<String, Object> row = delete ? event.key() : event.after();
                List<String> columns = new ArrayList<>(row.keySet());
                Buffer buffer = buffers.get(table);
                if (buffer != null && (buffer.delete != delete || !buffer.columns.equals(columns))) {
                    buffer.flush(c); // keep this table's statements in source order
                    buffer = null;
                }
                if (buffer == null) {
                    ensureColumns(c, table, event, buffers);
                    buffer = new Buffer(table, delete, columns, event.columns(), key);
                    buffers.put(table, buffer);
                }
                buffer.rows.add(new ArrayList<>(row.values()));
                if (buffer.rows.size() >= target.batchSize()) {
                    buffer.flush(c);
                }
            }
            for (Buffer b : buffers.values()) {
                b.flush(c);
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException rollbackFailed) {
                closeConnection();
            }
            knownColumns.clear(); // DDL may have been rolled back with the batch
            throw e;
        }
    }

    /** Creates the table (autoCreate) or adds missing columns (autoEvolve) before the first statement that needs them. */
    private void ensureColumns(Connection c, String table, ChangeEvent event, Map<String, Buffer> buffers) throws SQLException {
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
                for (Buffer b : buffers.values()) {
                    b.flush(c); // some databases commit on DDL: nothing of this batch may be left behind it unwritten
                }
                LOG.info("adding column {} {} to {}", column.getKey(), column.getValue(), table);
                execute(c, dialect.addColumn(table, column.getKey(), column.getValue()));
                known.add(column.getKey().toLowerCase(Locale.ROOT));
            }
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
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
