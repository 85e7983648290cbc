package sinks.jdbc;

import model.ChangeEvent;
import model.Op;
import model.TableId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import counters.PipelineCounters;
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
 * <p>
 * A batch that fails on its data (a constraint, a value the column cannot hold — not a lost connection) is retried
 * like any failure; when the same batch has failed {@link #DEAD_LETTER_AFTER} times it is written row by row, each row
 * behind a savepoint, and the rows that still fail go to the table {@code tributary_dead_letter} in the target — with
 * the row, the error and the source position — in the same transaction as the rows that succeeded.
 */
public class JdbcSink extends BatchSink {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcSink.class);
    /** Failed attempts of one batch, on data errors, before its failing rows go to the dead-letter table. */
    static final int DEAD_LETTER_AFTER = 3;
    static final String DEAD_LETTER_TABLE = "tributary_dead_letter";

    private final JdbcSinkConfig target;
    private final Dialect dialect;
    private final Function<TableId, String> targetTables;
    /** Target columns we know exist, lower case, per target table. */
    private final Map<String, Set<String>> knownColumns = new HashMap<>();
    private Connection connection;
    private String failingBatch;
    private int failedAttempts;

    public JdbcSink(JdbcSinkConfig target, Function<TableId, String> targetTables, PipelineCounters counters) {
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
        String batchId = events.get(0).id() + "+" + events.size();
        try {
            write(events, false);
            failingBatch = null;
        } catch (SQLException e) {
            if (isTransient(e)) {
                throw e;
            }
            failedAttempts = batchId.equals(failingBatch) ? failedAttempts + 1 : 1;
            failingBatch = batchId;
            if (failedAttempts < DEAD_LETTER_AFTER) {
                throw e;
            }
            LOG.warn("batch of {} changes failed {} times on its data ({}); writing it row by row, failing rows to {}",
                    events.size(), failedAttempts, e.getMessage(), DEAD_LETTER_TABLE);
            write(events, true);
            failingBatch = null;
        }
    }

    /** Connection problems, deadlocks, resource shortages: worth retrying the batch as it is. */
    static boolean isTransient(SQLException e) {
        String state = e.getSQLState();
        return e instanceof java.sql.SQLTransientException || e instanceof java.sql.SQLRecoverableException || state == null
                || state.startsWith("08") || state.startsWith("40") || state.startsWith("53") || state.startsWith("57")
                || state.startsWith("HY");
    }

    /**
     * Writes the batch in one transaction. With {@code rowByRow}, each row is executed alone behind a savepoint and a
     * row failing on its data is dead-lettered instead of failing the batch.
     */
    private void write(List<ChangeEvent> events, boolean rowByRow) throws SQLException {
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
                if (rowByRow) {
                    writeOrDeadLetter(c, buffer, event);
                } else if (buffer.rows.size() >= target.batchSize()) {
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
            deadLetterTableReady = false;
            throw e;
        }
    }

    private void writeOrDeadLetter(Connection c, Buffer buffer, ChangeEvent event) throws SQLException {
        java.sql.Savepoint savepoint = c.setSavepoint();
        try {
            buffer.flush(c);
            c.releaseSavepoint(savepoint);
        } catch (SQLException e) {
            buffer.rows.clear();
            c.rollback(savepoint);
            if (isTransient(e)) {
                throw e;
            }
            deadLetter(c, buffer.table, event, e);
        }
    }

    private boolean deadLetterTableReady;

    private void deadLetter(Connection c, String targetTable, ChangeEvent event, SQLException failure) throws SQLException {
        // a batch exception wraps the database's own message; keep that one
        SQLException error = failure.getNextException() != null ? failure.getNextException() : failure;
        Map<String, String> types = new LinkedHashMap<>();
        types.put("pipeline", "VARCHAR(100)");
        types.put("source_table", "VARCHAR(300)");
        types.put("target_table", "VARCHAR(300)");
        types.put("op", "VARCHAR(8)");
        types.put("event_id", "TEXT");
        types.put("source_position", "VARCHAR(100)");
        types.put("row_json", "TEXT");
        types.put("error", "TEXT");
        types.put("failed_at", "TIMESTAMPTZ");
        if (!deadLetterTableReady) {
            execute(c, dialect.createTable(DEAD_LETTER_TABLE, types, List.of()));
            deadLetterTableReady = true;
        }
        List<Object> values = List.of(event.pipeline(), event.table().qualifiedName(), targetTable, event.op().code(), event.id(),
                String.valueOf(event.position().position()),
                new String(formats.JsonValues.encode(event.row()), java.nio.charset.StandardCharsets.UTF_8),
                error.getSQLState() + ": " + error.getMessage(), java.time.Instant.now());
        List<String> columns = List.copyOf(types.keySet());
        try (PreparedStatement st = c.prepareStatement(dialect.insert(DEAD_LETTER_TABLE, columns, types))) {
            for (int i = 0; i < columns.size(); i++) {
                dialect.bind(st, i + 1, values.get(i), types.get(columns.get(i)));
            }
            st.executeUpdate();
        }
        counters.deadLettered.incrementAndGet();
        LOG.warn("dead-lettered {} change of {} at {}: {}", event.op(), event.table().qualifiedName(), event.position().position(), error.getMessage());
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
