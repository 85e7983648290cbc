package sinks.jdbc;

import counters.PipelineCounters;
import model.ChangeEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The target's dead-letter table {@value #TABLE}: a row that fails on its data, with the row as JSON, the database's
 * error and the source position, written in the transaction of the rows that succeeded (created on first use).
 */
final class JdbcDeadLetters {

    static final String TABLE = "tributary_dead_letter";
    private static final Logger LOG = LoggerFactory.getLogger(JdbcDeadLetters.class);
    private static final Map<String, String> COLUMNS = new LinkedHashMap<>();

    static {
        COLUMNS.put("pipeline", "VARCHAR(100)");
        COLUMNS.put("source_table", "VARCHAR(300)");
        COLUMNS.put("target_table", "VARCHAR(300)");
        COLUMNS.put("op", "VARCHAR(8)");
        COLUMNS.put("event_id", "TEXT");
        COLUMNS.put("source_position", "VARCHAR(100)");
        COLUMNS.put("row_json", "TEXT");
        COLUMNS.put("error", "TEXT");
        COLUMNS.put("failed_at", "TIMESTAMPTZ");
    }

    private final Dialect dialect;
    private final PipelineCounters counters;
    private boolean tableReady;

    JdbcDeadLetters(Dialect dialect, PipelineCounters counters) {
        this.dialect = dialect;
        this.counters = counters;
    }

    /** The transaction that created the table rolled back. */
    void forget() {
        tableReady = false;
    }

    void write(Connection c, String targetTable, ChangeEvent event, SQLException failure) throws SQLException {
        // a batch exception wraps the database's own message; keep that one
        SQLException error = failure.getNextException() != null ? failure.getNextException() : failure;
        if (!tableReady) {
            TableStructure.execute(c, dialect.createTable(TABLE, COLUMNS, List.of()));
            tableReady = true;
        }
        List<Object> values = List.of(event.pipeline(), event.table().qualifiedName(), targetTable, event.op().code(), event.id(),
                String.valueOf(event.position().position()),
                new String(formats.JsonValues.encode(event.row()), StandardCharsets.UTF_8),
                error.getSQLState() + ": " + error.getMessage(), Instant.now());
        List<String> columns = List.copyOf(COLUMNS.keySet());
        try (PreparedStatement st = c.prepareStatement(dialect.insert(TABLE, columns, COLUMNS))) {
            for (int i = 0; i < columns.size(); i++) {
                dialect.bind(st, i + 1, values.get(i), COLUMNS.get(columns.get(i)));
            }
            st.executeUpdate();
        }
        counters.deadLettered.incrementAndGet();
        LOG.warn("dead-lettered {} change of {} at {}: {}", event.op(), event.table().qualifiedName(), event.position().position(), error.getMessage());
    }
}
