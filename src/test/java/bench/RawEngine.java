package bench;

import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.format.Json;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The baselines: Debezium's embedded engine with the connector settings Tributary uses, on its own slot (or binlog
 * client), with Debezium's JSON converter ({@code schemas.enable=false}), handing each batch's changes to a plain client
 * ({@link BatchSender}) that returns when every one is acknowledged — what Debezium Server does — and committing then.
 */
final class RawEngine {

    /** Sends a batch of (key, value) JSON changes and returns when all are acknowledged. */
    interface BatchSender extends AutoCloseable {
        void send(List<ChangeEvent<String, String>> changes) throws Exception;

        @Override
        default void close() {
        }
    }

    static final BatchSender NO_SINK = changes -> {
    };

    private final Properties props = new Properties();
    private final AtomicLong handled = new AtomicLong();
    private final AtomicBoolean started = new AtomicBoolean();
    private final long[] first = {0};
    private final long[] last = {0};
    private DebeziumEngine<ChangeEvent<String, String>> engine;
    private ExecutorService executor;

    private RawEngine() {
    }

    /** Hand-set PostgreSQL settings like Tributary's: for a baseline without a pipeline to copy them from. */
    RawEngine(String name, int pgPort, Path offsets) {
        props.put("name", name);
        props.put("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        props.put("offset.storage", "org.apache.kafka.connect.storage.FileOffsetBackingStore");
        props.put("offset.storage.file.filename", offsets.toString());
        props.put("offset.flush.interval.ms", "1000");
        props.put("database.hostname", "localhost");
        props.put("database.port", String.valueOf(pgPort));
        props.put("database.user", "postgres");
        props.put("database.password", "pw");
        props.put("database.dbname", "postgres");
        props.put("topic.prefix", name);
        props.put("plugin.name", "pgoutput");
        props.put("slot.name", name);
        props.put("publication.name", name);
        props.put("publication.autocreate.mode", "filtered");
        props.put("table.include.list", "public\\.t");
        props.put("snapshot.mode", "no_data");
        props.put("poll.interval.ms", "100");
        props.put("column.propagate.source.type", ".*");
        props.put("tombstones.on.delete", "false");
        props.put("converter.schemas.enable", "false");
    }

    /**
     * The very settings a Tributary pipeline starts Debezium with, on the baseline's own slot / binlog client id, offsets
     * and schema history under {@code dir}: the same connector work, only the pipeline around it differs.
     */
    static RawEngine like(Properties tributary, String name, Path dir) {
        RawEngine raw = new RawEngine();
        raw.props.putAll(tributary);
        raw.props.put("name", name);
        raw.props.put("topic.prefix", name);
        raw.props.put("offset.storage", "org.apache.kafka.connect.storage.FileOffsetBackingStore");
        raw.props.put("offset.storage.file.filename", dir.resolve(name + "-offsets.dat").toString());
        raw.props.put("converter.schemas.enable", "false");
        raw.props.remove("offset.storage.topic");
        // a source block maker of Tributary's own (PostgreSQL's fills its block later) is not Debezium's: the baseline has Debezium's
        if (tributary.getProperty("sourceinfo.struct.maker", "").startsWith("sources.")) {
            raw.props.remove("sourceinfo.struct.maker");
        }
        if (tributary.containsKey("slot.name")) {
            raw.props.put("slot.name", name);
            raw.props.put("publication.name", name);
        }
        if (tributary.containsKey("database.server.id")) {
            raw.props.put("database.server.id", String.valueOf(Long.parseLong(tributary.getProperty("database.server.id")) + 1000));
            raw.props.put("schema.history.internal", "io.debezium.storage.file.history.FileSchemaHistory");
            raw.props.put("schema.history.internal.file.filename", dir.resolve(name + "-history.dat").toString());
        }
        return raw;
    }

    /** The engine with exactly these settings (a {@link StockEngineProcess} gets them from the suite's JVM). */
    static RawEngine of(Properties settings) {
        RawEngine raw = new RawEngine();
        raw.props.putAll(settings);
        return raw;
    }

    Properties settings() {
        return props;
    }

    RawEngine with(String key, String value) {
        props.put(key, value);
        return this;
    }

    /**
     * A binlog baseline has no slot to keep its place: store the server's current binlog position (and MariaDB GTIDs)
     * as its offset, with the schema history rebuilt from the tables at the first start (snapshot.mode=recovery).
     */
    void seedBinlogPosition(String jdbcUrl, String user, String password) throws Exception {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(jdbcUrl, user, password);
             java.sql.Statement st = c.createStatement()) {
            String file;
            long pos;
            try (java.sql.ResultSet rs = st.executeQuery("SHOW MASTER STATUS")) {
                rs.next();
                file = rs.getString(1);
                pos = rs.getLong(2);
            }
            String gtids;
            try (java.sql.ResultSet rs = st.executeQuery("SELECT @@gtid_binlog_pos")) {
                rs.next();
                gtids = rs.getString(1);
            }
            sources.OffsetSeed.write(props, java.util.Map.of("server", props.getProperty("topic.prefix")),
                    java.util.Map.of("file", file, "pos", pos, "gtids", gtids == null ? "" : gtids));
        }
        props.put("snapshot.mode", "recovery");
    }

    /** Starts once so the slot exists before the backlog is written. */
    void createSlot() throws Exception {
        catchUp(0, NO_SINK);
    }

    long handled() {
        return handled.get();
    }

    /** Catches up {@code rows} changes through {@code sender}; returns events/s from the first to the last change handled. */
    double catchUp(int rows, BatchSender sender) throws Exception {
        startStreaming(sender);
        waitUntil(() -> started.get() && handled.get() >= rows);
        stopStreaming();
        return rows == 0 ? 0 : rows / ((last[0] - first[0]) / 1e9);
    }

    /** Starts the engine and returns once its task runs. */
    void startStreaming(BatchSender sender) throws Exception {
        first[0] = 0;
        last[0] = 0;
        handled.set(0);
        started.set(false);
        engine = DebeziumEngine.create(Json.class)
                .using(props)
                .notifying((records, committer) -> {
                    if (first[0] == 0 && !records.isEmpty()) {
                        first[0] = System.nanoTime();
                    }
                    List<ChangeEvent<String, String>> changes = new ArrayList<>(records.size());
                    for (ChangeEvent<String, String> r : records) {
                        if (r.value() != null && !r.destination().startsWith("__debezium")) {
                            changes.add(r);
                        }
                    }
                    try {
                        sender.send(changes);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    for (ChangeEvent<String, String> r : records) {
                        committer.markProcessed(r);
                    }
                    committer.markBatchFinished();
                    handled.addAndGet(changes.size());
                    last[0] = System.nanoTime();
                })
                .using(new DebeziumEngine.ConnectorCallback() {
                    @Override
                    public void taskStarted() {
                        started.set(true);
                    }
                })
                .build();
        executor = Executors.newSingleThreadExecutor();
        executor.submit(engine);
        waitUntil(started::get);
    }

    void stopStreaming() throws Exception {
        while (true) {
            try {
                engine.close();
                break;
            } catch (IllegalStateException stillStarting) { // "cannot stop engine while tasks are starting": a moment later it can
                Thread.sleep(100);
            }
        }
        executor.shutdown();
        executor.awaitTermination(30, TimeUnit.SECONDS);
    }

    // not Suite's: a StockEngineProcess has no Tributary classes to load Suite with
    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        while (!condition.getAsBoolean()) {
            Thread.sleep(1);
        }
    }

    /** Nanosecond times of the first and last handled change of the current or last run. */
    long[] span() {
        return new long[]{first[0], last[0]};
    }
}
