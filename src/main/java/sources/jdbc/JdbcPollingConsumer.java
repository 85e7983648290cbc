package sources.jdbc;

import com.fasterxml.jackson.databind.ObjectMapper;
import config.PipelineSpec;
import config.PipelineSpec.ObjectSpec;
import model.ChangeEvent;
import state.AtomicFiles;
import sources.BatchConsumer;
import sources.EngineStatus;
import faults.FaultPoints;
import sources.JdbcValues;
import model.Op;
import model.SourcePosition;
import model.TableId;
import org.apache.camel.Endpoint;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sinks.jdbc.Dialect;
import sinks.jdbc.Dialects;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The JDBC polling source (docs/sources/jdbc.md), for databases without a change log Tributary can read: per table a
 * query for the rows past its watermark (an increasing column, a last-modified column, or both), one exchange per
 * table batch, and the watermark saved only after the exchange completed — the offsets rule of docs/design.md, "The route". Written
 * by hand: camel-sql's consumer re-resolves its parameters per poll and keeps no durable watermark (docs/design.md, "Traps designed around").
 */
public class JdbcPollingConsumer extends BatchConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcPollingConsumer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PipelineSpec spec;
    private final Path watermarkFile;
    private final Dialect dialect;
    private ExecutorService executor;
    private volatile boolean stopping;
    private volatile EngineStatus.State state = EngineStatus.State.STARTING;
    private volatile String error;
    private volatile Instant since = Instant.now();
    private volatile boolean snapshotDone;
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong rows = new AtomicLong();
    private final AtomicLong largest = new AtomicLong();
    /** table → {"ts": ISO local date-time, "id": number}; what has been delivered and committed. */
    private final Map<String, Map<String, Object>> watermarks = new LinkedHashMap<>();
    private final Map<String, List<String>> primaryKeys = new HashMap<>();

    JdbcPollingConsumer(Endpoint endpoint, Processor processor, PipelineSpec spec, Path stateDir) {
        super(endpoint, processor);
        this.spec = spec;
        this.watermarkFile = stateDir.resolve("watermarks.json");
        this.dialect = Dialects.forUrl(spec.source().config(JdbcPollingSourceConfig.class).url());
    }

    @Override
    @SuppressWarnings("unchecked")
    protected void doStart() throws Exception {
        super.doStart();
        stopping = false;
        watermarks.clear();
        if (Files.exists(watermarkFile)) {
            watermarks.putAll(JSON.readValue(watermarkFile.toFile(), LinkedHashMap.class));
        }
        setState(EngineStatus.State.STARTING, null);
        executor = getEndpoint().getCamelContext().getExecutorServiceManager().newSingleThreadExecutor(this, "jdbc-poll");
        executor.submit(this::run);
    }

    @Override
    protected void doStop() throws Exception {
        stopping = true;
        if (executor != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownGraceful(executor);
        }
        if (state == EngineStatus.State.RUNNING || state == EngineStatus.State.STARTING) {
            setState(EngineStatus.State.COMPLETED, null);
        }
        super.doStop();
    }

    private void setState(EngineStatus.State s, String message) {
        state = s;
        error = message;
        since = Instant.now();
    }

    private void run() {
        JdbcPollingSourceConfig polling = spec.source().config(JdbcPollingSourceConfig.class);
        long backoff = polling.pollIntervalMs();
        while (!stopping) {
            try (Connection c = DriverManager.getConnection(polling.url(), polling.user(), polling.password())) {
                if (spec.mode() == PipelineSpec.Mode.INCREMENTAL) {
                    startFromNow(c);
                }
                setState(EngineStatus.State.RUNNING, null);
                backoff = polling.pollIntervalMs();
                while (!stopping) {
                    boolean more = false;
                    for (ObjectSpec o : spec.objects()) {
                        if (!pollTable(c, o)) {
                            return; // the batch failed after the route's retries: FAILED, watermark untouched
                        }
                        more |= lastPollFull;
                        if (!lastPollFull) {
                            tablesDone.add(key(o));
                        }
                    }
                    if (spec.mode() == PipelineSpec.Mode.FULL && !more) {
                        snapshotDone = true;
                        setState(EngineStatus.State.COMPLETED, null);
                        LOG.info("{}: every table read; the source ends (mode full)", spec.name());
                        return;
                    }
                    if (!more) {
                        Thread.sleep(polling.pollIntervalMs());
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                // the database is away or refused a query: wait and try again — nothing was committed past the watermark
                error = e.getMessage();
                LOG.warn("{}: polling failed ({}); retrying in {} ms", spec.name(), e.getMessage(), backoff);
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoff = Math.min(backoff * 2, 60_000);
            }
        }
    }

    /** Whether the last poll of a table filled a whole batch (there may be more right away). */
    private boolean lastPollFull;

    /** mode incremental: a table without a watermark starts at its current maximum — changes from now on. */
    private void startFromNow(Connection c) throws Exception {
        for (ObjectSpec o : spec.objects()) {
            if (watermarks.containsKey(key(o)) || "bulk".equals(((PollSpec) o.settings()).mode())) {
                continue;
            }
            PollSpec p = ((PollSpec) o.settings());
            Map<String, Object> mark = new LinkedHashMap<>();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT "
                    + (p.usesTimestamp() ? "MAX(" + dialect.quote(p.timestampColumn()) + ")" : "NULL") + ", "
                    + (p.usesIncrementing() ? "MAX(" + dialect.quote(p.incrementingColumn()) + ")" : "NULL")
                    + " FROM " + dialect.quote(key(o)))) {
                rs.next();
                if (p.usesTimestamp() && rs.getObject(1) != null) {
                    mark.put("ts", rs.getObject(1, LocalDateTime.class).toString());
                }
                if (p.usesIncrementing() && rs.getObject(2) != null) {
                    mark.put("id", rs.getLong(2));
                }
            }
            watermarks.put(key(o), mark);
            saveWatermarks();
        }
    }

    private static String key(ObjectSpec o) {
        return o.schema() + "." + o.table();
    }

    /** Reads and delivers one batch of a table; false when the batch could not be delivered. */
    private boolean pollTable(Connection c, ObjectSpec o) throws Exception {
        PollSpec p = ((PollSpec) o.settings());
        Map<String, Object> mark = watermarks.getOrDefault(key(o), Map.of());
        if ("bulk".equals(p.mode()) && mark.containsKey("done")) {
            lastPollFull = false;
            return true;
        }
        int limit = spec.batch().maxEvents();
        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT * FROM ").append(dialect.quote(key(o)));
        List<String> where = new ArrayList<>();
        String ts = p.usesTimestamp() ? dialect.quote(p.timestampColumn()) : null;
        String id = p.usesIncrementing() ? dialect.quote(p.incrementingColumn()) : null;
        if (p.usesTimestamp()) {
            // only rows older than the database's now minus the delay: a transaction committing within it is not passed
            where.add(ts + " < ?");
            params.add(databaseNow(c).minusNanos(spec.source().config(JdbcPollingSourceConfig.class).delayMs() * 1_000_000L));
        }
        switch (p.mode()) {
            case "incrementing" -> {
                if (mark.get("id") != null) {
                    where.add(id + " > ?");
                    params.add(((Number) mark.get("id")).longValue());
                }
            }
            case "timestamp" -> {
                if (mark.get("ts") != null) {
                    where.add(ts + " > ?");
                    params.add(LocalDateTime.parse((String) mark.get("ts")));
                }
            }
            case "timestamp+incrementing" -> {
                if (mark.get("ts") != null) {
                    LocalDateTime last = LocalDateTime.parse((String) mark.get("ts"));
                    where.add("(" + ts + " > ? OR (" + ts + " = ? AND " + id + " > ?))");
                    params.add(last);
                    params.add(last);
                    params.add(((Number) mark.getOrDefault("id", Long.MIN_VALUE)).longValue());
                }
            }
            default -> {
            }
        }
        if (!where.isEmpty()) {
            sql.append(" WHERE ").append(String.join(" AND ", where));
        }
        boolean limited = !"bulk".equals(p.mode()) && !"timestamp".equals(p.mode()); // ties at one timestamp must not be cut
        if (!"bulk".equals(p.mode())) {
            sql.append(" ORDER BY ").append(p.usesTimestamp() ? ts + (id != null ? ", " + id : "") : id);
        }
        if (limited) {
            sql.append(" LIMIT ").append(limit);
        }
        List<ChangeEvent> events = new ArrayList<>();
        Map<String, Object> next = new LinkedHashMap<>(mark);
        try (PreparedStatement st = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < params.size(); i++) {
                st.setObject(i + 1, params.get(i));
            }
            st.setFetchSize(Math.min(limit, 10_000));
            try (ResultSet rs = st.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                Map<String, String> types = new LinkedHashMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    types.put(md.getColumnLabel(i), JdbcValues.sourceType(md, i));
                }
                Map<String, String> columns = java.util.Collections.unmodifiableMap(types); // one for the poll's events
                TableId table = tableId(c, o);
                List<String> key = primaryKey(c, o);
                Instant polled = Instant.now();
                Op op = spec.mode() == PipelineSpec.Mode.FULL || "bulk".equals(p.mode()) ? Op.READ
                        : "incrementing".equals(p.mode()) ? Op.CREATE : Op.UPDATE;
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        row.put(md.getColumnLabel(i), JdbcValues.read(rs, i, md));
                    }
                    if (p.usesTimestamp() && row.get(p.timestampColumn()) instanceof LocalDateTime t) {
                        next.put("ts", t.toString());
                    }
                    if (p.usesIncrementing() && row.get(p.incrementingColumn()) instanceof Number n) {
                        next.put("id", n.longValue());
                    }
                    String position = next.getOrDefault("ts", "") + "|" + next.getOrDefault("id", "");
                    events.add(ChangeEvent.row(spec.name(), op, table, null, row, key, columns,
                            new SourcePosition("jdbc", position, null, 0, polled, op == Op.READ)));
                    if (events.size() >= limit && "bulk".equals(p.mode())) {
                        if (!deliver(events)) {
                            return false;
                        }
                        events = new ArrayList<>();
                    }
                }
            }
        }
        lastPollFull = limited && events.size() >= limit;
        if ("bulk".equals(p.mode())) {
            next.put("done", true);
        }
        if (!events.isEmpty()) {
            if (!deliver(events)) {
                return false;
            }
            FaultPoints.reached(FaultPoints.BATCH_ACKED);
        }
        if (!next.equals(mark)) {
            watermarks.put(key(o), next);
            saveWatermarks(); // after the sink acknowledged: a crash before here polls the same rows again
        }
        return true;
    }

    private boolean deliver(List<ChangeEvent> events) throws Exception {
        Exception failure = throughRoute(events, false);
        if (failure != null) {
            setState(EngineStatus.State.FAILED, "batch of " + events.size() + " rows not delivered: " + failure.getMessage());
            LOG.error("{}: {}", spec.name(), error);
            return false;
        }
        batches.incrementAndGet();
        rows.addAndGet(events.size());
        largest.accumulateAndGet(events.size(), Math::max);
        return true;
    }

    private LocalDateTime databaseNow(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT LOCALTIMESTAMP")) {
            rs.next();
            return rs.getObject(1, LocalDateTime.class);
        }
    }

    /** PostgreSQL and SQL Server name tables schema.table; the MySQL family database.table. */
    private TableId tableId(Connection c, ObjectSpec o) throws SQLException {
        boolean schemas = !spec.source().config(JdbcPollingSourceConfig.class).catalogIsDatabase();
        return schemas ? new TableId(c.getCatalog(), o.schema(), o.table()) : new TableId(o.schema(), null, o.table());
    }

    private List<String> primaryKey(Connection c, ObjectSpec o) throws SQLException {
        List<String> cached = primaryKeys.get(key(o));
        if (cached != null) {
            return cached;
        }
        boolean schemas = !spec.source().config(JdbcPollingSourceConfig.class).catalogIsDatabase();
        Map<Short, String> ordered = new java.util.TreeMap<>();
        DatabaseMetaData md = c.getMetaData();
        try (ResultSet rs = schemas ? md.getPrimaryKeys(null, o.schema(), o.table()) : md.getPrimaryKeys(o.schema(), null, o.table())) {
            while (rs.next()) {
                ordered.put(rs.getShort("KEY_SEQ"), rs.getString("COLUMN_NAME"));
            }
        }
        List<String> key = List.copyOf(ordered.values());
        primaryKeys.put(key(o), key);
        return key;
    }

    private void saveWatermarks() throws java.io.IOException {
        Files.createDirectories(watermarkFile.getParent());
        AtomicFiles.write(watermarkFile, JSON.writeValueAsBytes(watermarks));
    }

    @Override
    public EngineStatus status() {
        return new EngineStatus(state, error, since, Map.copyOf(watermarks), snapshotDone, batches.get(), rows.get(), largest.get());
    }

    /** Mode full (or a bulk read): how far the reading got — tables read to their end, rows read. */
    @Override
    public Map<String, Object> snapshotProgress() {
        if (spec.mode() != PipelineSpec.Mode.FULL) {
            return Map.of();
        }
        Map<String, Object> progress = new LinkedHashMap<>();
        progress.put("running", state == EngineStatus.State.RUNNING && !snapshotDone);
        progress.put("completed", snapshotDone);
        progress.put("tables", spec.objects().size());
        progress.put("tablesRemaining", snapshotDone ? 0 : spec.objects().size() - tablesDone.size());
        progress.put("rowsRead", rows.get());
        return progress;
    }

    /** Tables whose last poll in mode full found nothing more. */
    private final java.util.Set<String> tablesDone = java.util.concurrent.ConcurrentHashMap.newKeySet();
}
