package sinks.jdbc;

import state.StaleOwnerException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cluster mode: the batch's commit carries the owner's epoch. The target's table {@value #TABLE} holds, per pipeline,
 * the highest epoch that wrote to it; each batch transaction first raises it to its own epoch — refused when it is
 * already higher, so a node that lost the pipeline commits nothing once the new owner has written. The row stays locked
 * until the batch commits, which orders a stale owner's batch that was already open before the new owner's first one.
 */
final class TargetFence {

    static final String TABLE = "tributary_epochs";
    private static final Map<String, String> COLUMNS = new LinkedHashMap<>();

    static {
        COLUMNS.put("pipeline", "VARCHAR(200)");
        COLUMNS.put("epoch", "BIGINT");
    }

    private final Dialect dialect;
    private boolean tableReady;

    TargetFence(Dialect dialect) {
        this.dialect = dialect;
    }

    /** The transaction that created the table rolled back. */
    void forget() {
        tableReady = false;
    }

    /** In the batch's transaction, before its rows: holds the pipeline's epoch row at {@code epoch}, or refuses. */
    void enter(Connection c, String pipeline, long epoch) throws SQLException, StaleOwnerException {
        if (!tableReady) {
            TableStructure.execute(c, dialect.createTable(TABLE, COLUMNS, List.of("pipeline")));
            tableReady = true;
        }
        String table = dialect.quote(TABLE);
        String pipelineColumn = dialect.quote("pipeline");
        String epochColumn = dialect.quote("epoch");
        try (PreparedStatement raise = c.prepareStatement("UPDATE " + table + " SET " + epochColumn + " = ? WHERE "
                + pipelineColumn + " = ? AND " + epochColumn + " <= ?")) {
            raise.setLong(1, epoch);
            raise.setString(2, pipeline);
            raise.setLong(3, epoch);
            if (raise.executeUpdate() == 1) {
                return;
            }
        }
        try (PreparedStatement read = c.prepareStatement("SELECT " + epochColumn + " FROM " + table + " WHERE " + pipelineColumn + " = ?")) {
            read.setString(1, pipeline);
            try (ResultSet rs = read.executeQuery()) {
                if (rs.next()) {
                    throw new StaleOwnerException(pipeline, epoch, rs.getLong(1));
                }
            }
        }
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + table + " (" + pipelineColumn + ", " + epochColumn + ") VALUES (?, ?)")) {
            insert.setString(1, pipeline);
            insert.setLong(2, epoch);
            insert.executeUpdate();
        } catch (SQLException e) {
            if (e.getSQLState() != null && e.getSQLState().startsWith("23")) {
                // another owner inserted the first row meanwhile: the batch is written again and meets that row
                throw new SQLTransientException("the epoch row of pipeline '" + pipeline + "' was created concurrently", e);
            }
            throw e;
        }
    }
}
