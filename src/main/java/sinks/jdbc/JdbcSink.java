package sinks.jdbc;

import counters.PipelineCounters;
import model.ChangeEvent;
import model.TableId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sinks.BatchSink;

import java.sql.SQLException;
import java.util.List;
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
 * <p>
 * The parts, as kafka-connect-jdbc splits them: this class decides (retry, or row by row with dead letters);
 * {@link JdbcWriter} writes a batch in one transaction through a {@link TableBuffer} per target table, with
 * {@link TableStructure} keeping the tables ahead of the rows and {@link JdbcDeadLetters} keeping the refused rows.
 */
public class JdbcSink extends BatchSink {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcSink.class);
    /** Failed attempts of one batch, on data errors, before its failing rows go to the dead-letter table. */
    static final int DEAD_LETTER_AFTER = 3;

    private final JdbcWriter writer;
    private String failingBatch;
    private int failedAttempts;

    public JdbcSink(JdbcSinkConfig target, Function<TableId, String> targetTables, PipelineCounters counters) {
        super(counters);
        this.writer = new JdbcWriter(target, targetTables, counters);
    }

    @Override
    protected void doStop() {
        writer.close();
    }

    @Override
    protected void deliver(List<ChangeEvent> events) throws Exception {
        String batchId = events.get(0).id() + "+" + events.size();
        try {
            writer.write(events, false, owner());
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
                    events.size(), failedAttempts, e.getMessage(), JdbcDeadLetters.TABLE);
            writer.write(events, true, owner());
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
}
