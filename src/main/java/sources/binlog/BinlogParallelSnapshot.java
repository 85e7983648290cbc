package sources.binlog;

import model.SourcePosition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sources.OffsetSeed;
import sources.ParallelReads;
import sources.ParallelSnapshot;
import sources.binlog.BinlogSnapshotChunks.Chunk;
import sources.binlog.BinlogSnapshotChunks.Table;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * A MySQL or MariaDB snapshot read by several connections at once, all in one consistent view of the database, then
 * handed over to the binlog at exactly that view's position (docs/pipelines.md, "Parallel snapshot"). Debezium reads a
 * table with one connection; this is what mydumper does:
 * <ol>
 * <li>{@code threads} connections each begin {@code START TRANSACTION WITH CONSISTENT SNAPSHOT}. On MariaDB each one's
 * {@code binlog_snapshot_file/position} says which binlog position its view matches: when all say the same, the views
 * are the same, with no lock taken. Otherwise (writes landed between the begins, a few attempts running) — and always on
 * MySQL, which lacks those variables — a global read lock ({@code FLUSH TABLES WITH READ LOCK}, the RELOAD privilege)
 * is held while the readers begin and the binlog position is read, a few milliseconds;</li>
 * <li>the readers read each table in ranges of its integer primary key (a table with another key, or none, is one
 * range: tables are read in parallel with each other), each range streamed;</li>
 * <li>rows become canonical READ events in batches, delivered as the PostgreSQL parallel snapshot does
 * ({@link ParallelReads});</li>
 * <li>after the last batch is acknowledged the snapshot's binlog position (MariaDB: with its GTID state) is stored as the
 * engine's offset — that write is the snapshot's commit — and a marker file records it; Debezium then rebuilds its
 * schema history from the tables ({@code snapshot.mode=recovery}) and streams from that position.</li>
 * </ol>
 * Consistent views per connection rather than Debezium's incremental-snapshot watermarks: they need no signalling table
 * written in the source database, read each row once, and give a single position where the stream takes over with no
 * overlap to reconcile. A change to a table's columns while the snapshot runs fails it (the schema Debezium rebuilds at
 * the end must be the one the snapshot's position saw); it is taken again at the next start.
 * <p>
 * Hand-written: no library reads one MySQL-family snapshot over several connections.
 */
public final class BinlogParallelSnapshot extends ParallelSnapshot {

    private static final Logger LOG = LoggerFactory.getLogger(BinlogParallelSnapshot.class);

    private int lockFreeAttempts = 5;

    // from the engine's properties (configure)
    private volatile Properties engine;
    private volatile String pipeline;
    private volatile boolean mariadb;
    private volatile List<Pattern> include;
    private volatile boolean streamAfter;
    private volatile int batchSize;
    private volatile String consistentStart;

    /** For a route's bean: threads, chunkRows and batchesInFlight as properties, the rest from the endpoint. */
    public BinlogParallelSnapshot() {
    }

    public BinlogParallelSnapshot(int threads, int chunkRows, int batchesInFlight) {
        setThreads(threads);
        setChunkRows(chunkRows);
        setBatchesInFlight(batchesInFlight);
    }

    @Override
    protected String endpoint() {
        return "cdc:debezium-mysql";
    }

    /** MariaDB: how often the readers try to begin at one binlog position without a lock (default 5; 0: lock at once). */
    public void setLockFreeAttempts(int lockFreeAttempts) {
        this.lockFreeAttempts = Math.max(0, lockFreeAttempts);
    }

    @Override
    public void configure(Properties engine) {
        String include = engine.getProperty("snapshot.include.collection.list", engine.getProperty("table.include.list"));
        String offsets = engine.getProperty("offset.storage.file.filename");
        if (include == null || include.isBlank() || offsets == null) {
            throw new IllegalArgumentException("a parallel snapshot reads the endpoint's tableIncludeList (or snapshotIncludeCollectionList)"
                    + " and keeps its marker beside offsetStorageFileName: set both on the cdc: endpoint");
        }
        this.engine = engine;
        pipeline = engine.getProperty("topic.prefix");
        mariadb = engine.getProperty("connector.class", "").contains("mariadb");
        this.include = includePatterns(include);
        streamAfter = !"initial_only".equals(engine.getProperty("snapshot.mode"));
        batchSize = Integer.parseInt(engine.getProperty("max.batch.size", "2048"));
        markerBeside(offsets);
    }

    /** Debezium rebuilds its schema history from the tables when it has none, and streams from the stored position. */
    @Override
    public void beforeStreaming(Properties engine) throws Exception {
        engine.setProperty("snapshot.mode", BinlogStart.noSchemaHistory(engine) ? "recovery" : "no_data");
    }

    /** consistentStart: lock-free or global read lock. */
    @Override
    protected void moreProgress(Map<String, Object> progress) {
        if (consistentStart != null) {
            progress.put("consistentStart", consistentStart);
        }
    }

    private String host() {
        return engine.getProperty("database.hostname");
    }

    private int port() {
        return Integer.parseInt(engine.getProperty("database.port", "3306"));
    }

    private Connection connect() throws SQLException {
        // TINYINT(1) and YEAR as numbers, as the binlog gives them
        String url = mariadb ? "jdbc:mariadb://" + host() + ":" + port() + "/?tinyInt1isBit=false&yearIsDateType=false&useServerPrepStmts=true"
                : "jdbc:mysql://" + host() + ":" + port() + "/?useSSL=false&allowPublicKeyRetrieval=true&tinyInt1isBit=false&yearIsDateType=false";
        Connection c = DriverManager.getConnection(url, engine.getProperty("database.user"), engine.getProperty("database.password"));
        try (Statement st = c.createStatement()) {
            st.execute("SET SESSION time_zone = '+00:00'"); // TIMESTAMP columns read as UTC instants
            st.execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");
        }
        return c;
    }

    @Override
    protected void take(BatchHandler handler) throws Exception {
        consistentStart = null;
        List<Connection> readers = new ArrayList<>();
        try (Connection control = connect()) {
            List<Table> tables = BinlogSnapshotChunks.tables(control, include);
            tables(tables.size());
            String columnsBefore = BinlogSnapshotChunks.columns(control, tables);
            for (int i = 0; i < threads(); i++) {
                readers.add(connect());
            }
            Map.Entry<String, Long> at = begin(readers, control);
            Instant time = Instant.now();
            LOG.info("{}: snapshot of {} table(s) with {} connections at binlog {}:{} ({})", pipeline, tables.size(), threads(),
                    at.getKey(), at.getValue(), consistentStart);
            SourcePosition position = new SourcePosition(mariadb ? "mariadb" : "mysql", at.getKey() + ":" + at.getValue() + ":0", null, 0, time, true);
            read(pipeline, batchSize, readers, BinlogSnapshotChunks.chunks(readers.get(0), tables, chunkRows()), Chunk::table,
                    (c, chunk, out) -> readChunk(c, chunk, position, out), handler);
            if (!columnsBefore.equals(BinlogSnapshotChunks.columns(control, tables))) {
                throw new IllegalStateException("the columns of a captured table changed while the snapshot ran: Debezium could not read"
                        + " the binlog from the snapshot's position with today's schema; the snapshot is taken again at the next start");
            }
            if (streamAfter) {
                storePosition(at); // the snapshot's commit: the next start streams from here
            }
            marked("snapshot at binlog " + at.getKey() + ":" + at.getValue() + " (" + time + ")");
            LOG.info("{}: parallel snapshot done: {} rows of {} table(s)", pipeline, rowsRead(), tables.size());
        } finally {
            for (Connection c : readers) {
                c.close();
            }
        }
    }

    /**
     * Begins every reader's consistent view at one binlog position: without a lock when MariaDB reports one position
     * for all, else under a global read lock held while they begin.
     */
    private Map.Entry<String, Long> begin(List<Connection> readers, Connection control) throws SQLException {
        for (int attempt = 0; mariadb && attempt < lockFreeAttempts; attempt++) {
            Map.Entry<String, Long> first = null;
            boolean same = true;
            for (Connection c : readers) {
                Map.Entry<String, Long> at = beginView(c);
                first = first == null ? at : first;
                same &= at.equals(first);
            }
            if (same && first != null && first.getKey() != null) {
                consistentStart = "lock-free";
                return first;
            }
            for (Connection c : readers) {
                try (Statement st = c.createStatement()) {
                    st.execute("ROLLBACK");
                }
            }
        }
        try (Statement st = control.createStatement()) {
            st.execute("FLUSH TABLES WITH READ LOCK");
            try {
                for (Connection c : readers) {
                    beginView(c);
                }
                consistentStart = "global read lock";
                return new BinlogSeek(host(), port(), engine.getProperty("database.user"), engine.getProperty("database.password"), 0)
                        .current();
            } finally {
                st.execute("UNLOCK TABLES");
            }
        }
    }

    /** Begins a consistent read-only view; MariaDB: the binlog position it matches (else null). */
    private Map.Entry<String, Long> beginView(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY");
            if (!mariadb) {
                return Map.entry("", 0L);
            }
            String file = null;
            long pos = 0;
            try (ResultSet rs = st.executeQuery("SHOW SESSION STATUS LIKE 'binlog_snapshot_%'")) {
                while (rs.next()) {
                    if (rs.getString(1).equalsIgnoreCase("binlog_snapshot_file")) {
                        file = rs.getString(2);
                    } else if (rs.getString(1).equalsIgnoreCase("binlog_snapshot_position")) {
                        pos = Long.parseLong(rs.getString(2));
                    }
                }
            }
            return file == null || file.isEmpty() ? Map.entry("", 0L) : Map.entry(file, pos);
        }
    }

    /** The binlog position (MariaDB: and its GTID state) as the engine's offset, where Debezium streams from. */
    private void storePosition(Map.Entry<String, Long> at) throws Exception {
        Map<String, Object> offset = new LinkedHashMap<>();
        offset.put("file", at.getKey());
        offset.put("pos", at.getValue());
        if (mariadb) {
            String gtids = new BinlogSeek(host(), port(), engine.getProperty("database.user"), engine.getProperty("database.password"), 0)
                    .mariaDbGtidsAt(at.getKey(), at.getValue());
            if (!gtids.isBlank()) {
                offset.put("gtids", gtids);
            }
        }
        OffsetSeed.write(engine, Map.of("server", pipeline), offset);
    }

    private void readChunk(Connection c, Chunk chunk, SourcePosition position, ParallelReads<Chunk> out) throws Exception {
        String column = chunk.table().rangeColumn() == null ? null : BinlogSnapshotChunks.quote(chunk.table().rangeColumn());
        List<String> bounds = new ArrayList<>();
        if (chunk.from() != null) {
            bounds.add(column + " >= ?");
        }
        if (chunk.to() != null) {
            bounds.add(column + " < ?");
        }
        String sql = "SELECT * FROM " + chunk.table().quoted() + (bounds.isEmpty() ? "" : " WHERE " + String.join(" AND ", bounds));
        try (PreparedStatement st = c.prepareStatement(sql)) {
            int i = 1;
            if (chunk.from() != null) {
                st.setLong(i++, chunk.from());
            }
            if (chunk.to() != null) {
                st.setLong(i, chunk.to());
            }
            st.setFetchSize(mariadb ? batchSize : Integer.MIN_VALUE); // streamed, not held whole (MySQL's driver: MIN_VALUE)
            try (ResultSet rs = st.executeQuery()) {
                out.rows(rs, chunk.table().id(), chunk.table().primaryKey(), position, (md, col) ->
                        // TIMESTAMP is an instant (the session reads it in UTC), as the binlog gives it
                        "TIMESTAMP".equalsIgnoreCase(md.getColumnTypeName(col)) ? (rs2, k) -> {
                            LocalDateTime t = rs2.getObject(k, LocalDateTime.class);
                            return t == null ? null : t.toInstant(ZoneOffset.UTC);
                        } : null);
            }
        }
    }
}
