package sources.postgres;

import sources.ParallelReads;
import sources.ParallelSnapshot;
import model.SourcePosition;
import org.postgresql.PGConnection;
import org.postgresql.PGProperty;
import org.postgresql.replication.ReplicationSlotInfo;
import org.slf4j.Logger;
import sources.postgres.PostgresSnapshotChunks.Chunk;
import sources.postgres.PostgresSnapshotChunks.Table;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * A PostgreSQL snapshot read by several connections at once, in one consistent snapshot of the database, and handed
 * over to the log stream without a gap or an overlap (docs/pipelines.md, "Parallel snapshot"). Debezium reads a table
 * with one connection and one thread; this is what Flink CDC and PeerDB do instead:
 * <ol>
 * <li>the publication exists before the slot (a slot decodes each change with the catalog as of that change: a
 * publication created later would not cover the changes before it);</li>
 * <li>mode full-and-incremental: the replication slot is created with an exported snapshot; its consistent point is
 * where Debezium's streaming starts. Mode full: {@code pg_export_snapshot()} in a repeatable-read transaction;</li>
 * <li>{@code threads} connections import that snapshot ({@code SET TRANSACTION SNAPSHOT}) and read the tables in
 * ranges of pages ({@code ctid} range scans, PostgreSQL 14+), each range through a cursor;</li>
 * <li>rows become canonical READ events in batches, handed to the route one batch at a time — or, where the sink
 * takes concurrent batches (Kafka), up to {@code batchesInFlight} at a time, so the sink encodes and sends the next
 * batch while the previous one waits for its acknowledgements — and the readers wait while {@code 2 × threads} batches
 * are queued, so memory is bounded whatever the table's size;</li>
 * <li>after the last batch is acknowledged a marker file records it; Debezium then starts with no offset and
 * {@code snapshot.mode=no_data}, and streams from the slot's consistent point.</li>
 * </ol>
 * A crash before the marker leaves a slot whose exported snapshot died with its connection: it is dropped and the
 * snapshot starts over (Debezium's own initial snapshot also starts over).
 * <p>
 * Values are read with the JDBC polling source's conversions ({@link JdbcValues}); hand-written because no library
 * reads one PostgreSQL snapshot over several connections.
 */
public final class PostgresParallelSnapshot extends ParallelSnapshot {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresParallelSnapshot.class);

    // shared with the engine, from its properties (configure)
    private volatile PostgresSourceConfig source;
    private volatile String pipeline;
    private volatile List<Pattern> include;
    private volatile boolean streamAfter;
    private volatile int batchSize;

    /** For a route's bean: threads, chunkRows and batchesInFlight as properties, the rest from the endpoint. */
    public PostgresParallelSnapshot() {
    }

    public PostgresParallelSnapshot(int threads, int chunkRows, int batchesInFlight) {
        setThreads(threads);
        setChunkRows(chunkRows);
        setBatchesInFlight(batchesInFlight);
    }

    @Override
    protected String endpoint() {
        return "cdc:debezium-postgres";
    }

    /** The connection, slot, publication, tables, batch size and marker folder: the engine's ({@link SnapshotSettings}). */
    @Override
    public void configure(Properties engine) {
        SnapshotSettings s = SnapshotSettings.of(engine);
        source = s.source();
        pipeline = s.pipeline();
        include = s.include();
        streamAfter = s.streamAfter();
        batchSize = s.batchSize();
        markerBeside(engine.getProperty("offset.storage.file.filename"));
    }

    private String url() {
        return "jdbc:postgresql://" + source.host() + ":" + source.port() + "/" + source.database();
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), source.user(), source.password());
    }

    @Override
    protected void take(BatchHandler handler) throws Exception {
        try (Connection catalog = connect()) {
            List<Table> tables = PostgresSnapshotChunks.tables(catalog, source.database(), include);
            tables(tables.size());
            if (streamAfter) {
                ensurePublication(catalog, tables);
                dropStaleSlot(catalog);
            }
            Properties props = new Properties();
            Connection exporter;
            String snapshotName;
            String lsn;
            if (streamAfter) {
                PGProperty.USER.set(props, source.user());
                PGProperty.PASSWORD.set(props, source.password());
                PGProperty.ASSUME_MIN_SERVER_VERSION.set(props, "10");
                PGProperty.REPLICATION.set(props, "database");
                PGProperty.PREFER_QUERY_MODE.set(props, "simple");
                exporter = DriverManager.getConnection(url(), props);
                ReplicationSlotInfo slot = exporter.unwrap(PGConnection.class).getReplicationAPI().createReplicationSlot().logical()
                        .withSlotName(source.slot()).withOutputPlugin("pgoutput").make();
                snapshotName = slot.getSnapshotName();
                lsn = String.valueOf(slot.getConsistentPoint().asLong());
                LOG.info("{}: replication slot {} created at {}; snapshot {} of {} table(s) with {} connections", pipeline,
                        source.slot(), slot.getConsistentPoint(), snapshotName, tables.size(), threads());
            } else {
                exporter = connect();
                exporter.setAutoCommit(false);
                exporter.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                try (Statement st = exporter.createStatement();
                     ResultSet rs = st.executeQuery("SELECT pg_export_snapshot(), pg_current_wal_lsn() - '0/0'::pg_lsn")) {
                    rs.next();
                    snapshotName = rs.getString(1);
                    lsn = rs.getString(2);
                }
            }
            Instant at = Instant.now();
            List<Connection> readers = new ArrayList<>();
            try {
                for (int i = 0; i < threads(); i++) {
                    readers.add(importSnapshot(snapshotName));
                }
                readTables(tables, readers, new SourcePosition("postgresql", lsn, null, 0, at, true), handler);
            } finally {
                for (Connection c : readers) {
                    c.close();
                }
                exporter.close();
            }
            marked("snapshot " + snapshotName + " at lsn " + lsn + " (" + at + ")");
            LOG.info("{}: parallel snapshot done: {} rows of {} table(s)", pipeline, rowsRead(), tables.size());
        }
    }

    /** A connection in a read-only repeatable-read transaction that sees the exported snapshot. */
    private Connection importSnapshot(String name) throws SQLException {
        Properties props = new Properties();
        PGProperty.USER.set(props, source.user());
        PGProperty.PASSWORD.set(props, source.password());
        // server-prepared from the first execution, so rows come in binary: timestamps, numbers and numerics decode
        // without parsing text (the readers' largest cost after the network)
        PGProperty.PREPARE_THRESHOLD.set(props, -1);
        Connection c = DriverManager.getConnection(url(), props);
        c.setAutoCommit(false); // a cursor (fetch size) needs a transaction, and the snapshot lives as long as it
        c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        c.setReadOnly(true);
        try (Statement st = c.createStatement()) {
            st.execute("SET TRANSACTION SNAPSHOT '" + name.replace("'", "''") + "'");
        }
        return c;
    }

    private void readTables(List<Table> tables, List<Connection> readers, SourcePosition position, BatchHandler handler) throws Exception {
        read(pipeline, batchSize, readers, PostgresSnapshotChunks.chunks(tables, chunkRows()), Chunk::table,
                (c, chunk, out) -> readChunk(c, chunk, position, out), handler);
    }

    private void readChunk(Connection c, Chunk chunk, SourcePosition position, ParallelReads<Chunk> out) throws Exception {
        String sql = "SELECT * FROM " + chunk.table().quoted()
                + (chunk.to() < 0 ? "" : " WHERE ctid >= ?::tid" + (chunk.to() == Long.MAX_VALUE ? "" : " AND ctid < ?::tid"));
        try (PreparedStatement st = c.prepareStatement(sql)) {
            if (chunk.to() >= 0) {
                st.setString(1, "(" + chunk.from() + ",0)");
                if (chunk.to() != Long.MAX_VALUE) {
                    st.setString(2, "(" + chunk.to() + ",0)");
                }
            }
            st.setFetchSize(batchSize);
            try (ResultSet rs = st.executeQuery()) {
                out.rows(rs, chunk.table().id(), chunk.table().primaryKey(), position, null);
            }
        }
    }

    /** The publication Debezium would create (filtered: these tables), made now, before the slot. */
    private void ensurePublication(Connection c, List<Table> tables) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT 1 FROM pg_publication WHERE pubname = ?")) {
            st.setString(1, source.publication());
            try (ResultSet rs = st.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
        }
        if (tables.isEmpty()) {
            return; // nothing to publish yet: Debezium creates it when it starts
        }
        try (Statement st = c.createStatement()) {
            st.execute("CREATE PUBLICATION " + PostgresSnapshotChunks.quote(source.publication()) + " FOR TABLE "
                    + String.join(", ", tables.stream().map(Table::quoted).toList()));
        }
    }

    /** A slot left by a snapshot that did not finish: its exported snapshot is gone, so the snapshot starts over. */
    private void dropStaleSlot(Connection c) throws SQLException {
        if (PostgresTables.dropIdleSlot(c, source.slot())) {
            LOG.warn("{}: dropped replication slot {} of a snapshot that did not finish; the snapshot starts over", pipeline, source.slot());
        }
    }
}
