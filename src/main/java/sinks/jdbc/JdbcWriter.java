package sinks.jdbc;

import counters.PipelineCounters;
import model.ChangeEvent;
import model.Op;
import model.TableId;
import sinks.BatchSink;
import state.StaleOwnerException;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Writes a batch to the target in one transaction: each change into its target table's {@link TableBuffer} in source
 * order (a buffer is flushed when the kind or the columns change, and when it is full), the table's structure made
 * ready first ({@link TableStructure}), then one commit — or a rollback of all of it.
 */
final class JdbcWriter implements AutoCloseable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JdbcWriter.class);

    private final JdbcSinkConfig target;
    private final Dialect dialect;
    private final Function<TableId, String> targetTables;
    private final PipelineCounters counters;
    private final TableStructure structure;
    private final JdbcDeadLetters deadLetters;
    private final TargetFence fence;
    private Connection connection;
    /**
     * Whether inserts and upserts carry several rows to a statement. Off for good after the database refused one for
     * touching a row twice: keys Java sees as distinct that the database compares as equal (a case-insensitive type).
     */
    private boolean multiRow = true;

    JdbcWriter(JdbcSinkConfig target, Function<TableId, String> targetTables, PipelineCounters counters) {
        this.target = target;
        this.dialect = Dialects.forUrl(target.url());
        this.targetTables = targetTables;
        this.counters = counters;
        this.structure = new TableStructure(target, dialect);
        this.deadLetters = new JdbcDeadLetters(dialect, counters);
        this.fence = new TargetFence(dialect);
    }

    /**
     * Writes the batch in one transaction. With {@code rowByRow}, each row is executed alone behind a savepoint and a
     * row failing on its data goes to the dead-letter table instead of failing the batch. With an {@code owner} (cluster
     * mode) the transaction first holds the pipeline's epoch row ({@link TargetFence}).
     */
    void write(List<ChangeEvent> events, boolean rowByRow, BatchSink.Owner owner) throws SQLException, StaleOwnerException {
        try {
            writeOnce(events, rowByRow, owner);
        } catch (SQLException e) {
            if (!multiRow || !CARDINALITY_VIOLATION.equals(e.getSQLState())) {
                throw e;
            }
            SQLException reason = e.getNextException() != null ? e.getNextException() : e; // the batch's own text lists the values
            LOG.warn("the target refused a statement of several rows ({}); writing one row per statement from now on", reason.getMessage());
            multiRow = false;
            writeOnce(events, rowByRow, owner); // the failed attempt was rolled back
        }
    }

    /** PostgreSQL: "ON CONFLICT DO UPDATE command cannot affect row a second time". */
    private static final String CARDINALITY_VIOLATION = "21000";

    private void writeOnce(List<ChangeEvent> events, boolean rowByRow, BatchSink.Owner owner) throws SQLException, StaleOwnerException {
        Connection c = connection(owner);
        Map<String, TableBuffer> buffers = new LinkedHashMap<>();
        try {
            if (owner != null) {
                fence.enter(c, owner.pipeline(), owner.epoch());
            }
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
                TableBuffer buffer = buffers.get(table);
                if (buffer != null && !buffer.takes(delete, columns)) {
                    buffer.flush(c); // keep this table's statements in source order
                    buffer = null;
                }
                if (buffer == null) {
                    structure.ensureColumns(c, table, event, buffers.values());
                    buffer = new TableBuffer(dialect, table, delete, columns, event.columns(), structure.types(table), key, multiRow);
                    buffers.put(table, buffer);
                }
                buffer.add(new ArrayList<>(row.values()));
                if (rowByRow) {
                    writeOrDeadLetter(c, buffer, event);
                } else if (buffer.size() >= target.batchSize()) {
                    buffer.flush(c);
                }
            }
            for (TableBuffer b : buffers.values()) {
                b.flush(c);
            }
            c.commit();
        } catch (SQLException | RuntimeException | StaleOwnerException e) {
            try {
                c.rollback();
            } catch (SQLException rollbackFailed) {
                close();
            }
            structure.forget(); // DDL may have been rolled back with the batch
            deadLetters.forget();
            fence.forget();
            throw e;
        }
    }

    private void writeOrDeadLetter(Connection c, TableBuffer buffer, ChangeEvent event) throws SQLException {
        Savepoint savepoint = c.setSavepoint();
        try {
            buffer.flush(c);
            c.releaseSavepoint(savepoint);
        } catch (SQLException e) {
            buffer.discard();
            c.rollback(savepoint);
            if (JdbcSink.isTransient(e)) {
                throw e;
            }
            deadLetters.write(c, buffer.table, event, e);
        }
    }

    private Connection connection(BatchSink.Owner owner) throws SQLException {
        if (connection == null || !connection.isValid(2)) {
            close();
            connection = DriverManager.getConnection(target.url(), target.user(), target.password());
            if (owner != null) {
                state.IdleTransactions.limit(connection, owner.idleTransactionLimitMs()); // a frozen node's locks go
            }
            connection.setAutoCommit(false);
            structure.forget();
            fence.forget();
        }
        return connection;
    }

    @Override
    public void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // closing a broken connection
            }
            connection = null;
        }
    }
}
