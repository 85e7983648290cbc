package routes;

import config.PipelineSpec;
import config.PipelineSpec.ObjectSpec;
import config.PipelineSpec.SourceSpec;
import formats.ChangeEventFormat;
import formats.Formats;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.RouteDefinition;
import processors.CommitTimeFilter;
import processors.DebeziumNormalizer;
import processors.ObjectSelector;
import processors.ColumnProjection;
import processors.RenameFollower;
import processors.RowFilter;
import processors.TransactionEnds;
import processors.dedup.Deduplicator;
import runtime.PipelineRuntime;
import sinks.SinkContext;
import sinks.SinkFactory;
import snapshots.SnapshotLedger;
import snapshots.SnapshotLedgerStep;
import sources.PostgresReplicaIdentity;
import sources.BinlogSeek;
import sources.JdbcPollingEndpoint;
import sources.OffsetSeed;
import sources.PostgresTables;
import sources.StartCheck;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One pipeline file compiled into one Camel route (routeId = pipeline name):
 * {@code cdc:debezium-*} (one exchange per batch) → normalize → select objects → sink (Kafka, RocketMQ, JDBC or HDFS).
 * <p>
 * Error policy: a failed batch is retried in place with exponential backoff; after the last retry the exception stays
 * on the exchange, the CDC consumer fails the engine without committing, and the pipeline shows FAILED. Nothing is
 * skipped — the swallowed-exception trap of FACTS.md cannot happen here.
 */
public class PipelineRoutes extends RouteBuilder {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PipelineRoutes.class);

    private final PipelineRuntime pipeline;
    private final Path dataDir;
    private final boolean autoStart;
    /** Set in {@link #configure()}; the snapshot ledger reads sharding columns from it. */
    private ObjectSelector selector;
    /** Created with the source URI when the pipeline takes a snapshot; its step goes before dedup and the sink. */
    private SnapshotLedger snapshotLedger;

    public PipelineRoutes(PipelineRuntime pipeline, Path dataDir, boolean autoStart) {
        this.pipeline = pipeline;
        this.dataDir = dataDir;
        this.autoStart = autoStart;
    }

    @Override
    public void configure() {
        PipelineSpec spec = pipeline.spec();
        SourceSpec source = spec.source();
        PipelineSpec.ErrorPolicy policy = spec.errors();

        errorHandler(defaultErrorHandler()
                .maximumRedeliveries(policy.retries())
                .redeliveryDelay(policy.retryDelayMs())
                .useExponentialBackOff().backOffMultiplier(2)
                .maximumRedeliveryDelay(policy.maxRetryDelayMs())
                .retryAttemptedLogLevel(LoggingLevel.WARN)
                .logExhausted(true)
                .onRedelivery(e -> pipeline.counters().recordError(e.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class))));

        ObjectSelector selector = new ObjectSelector(spec.objects(), pipeline.counters());
        this.selector = selector;
        ChangeEventFormat format = Formats.create(spec.format());
        RouteDefinition route;
        if (source.polling() != null) {
            // the polling source emits canonical events itself
            route = from(new JdbcPollingEndpoint(getContext(), spec, dataDir.resolve(spec.name()).toAbsolutePath()))
                    .routeId(spec.name())
                    .routeDescription("pipeline " + spec.name() + ": jdbc polling → " + spec.sink().type())
                    .autoStartup(autoStart)
                    .process(exchange -> pipeline.counters().eventsIn.addAndGet(exchange.getIn().getBody(List.class).size()))
                    .id(spec.name() + "-count");
        } else {
            route = from(sourceUri(spec))
                    .routeId(spec.name())
                    .routeDescription("pipeline " + spec.name() + ": " + source.type() + " → " + spec.sink().type())
                    .autoStartup(autoStart)
                    .process(new DebeziumNormalizer(spec.name(), source.isBinlog()
                            ? table -> true // a row-based binlog carries whole old rows (binlog_row_image=FULL)
                            : new PostgresReplicaIdentity(source.host(), source.port(), source.database(), source.user(), source.password()),
                            pipeline.counters())).id(spec.name() + "-normalize");
            if (source.isBinlog()) {
                route.process(new RenameFollower(selector, pipeline.counters(), format.carriesDdl())).id(spec.name() + "-renames");
            }
        }
        route.process(selector).id(spec.name() + "-select");
        if (spec.startTimestamp() != null) {
            route.process(new CommitTimeFilter(spec.startTimestamp(), pipeline.counters())).id(spec.name() + "-start-at");
        }
        if (RowFilter.needed(spec.objects())) {
            route.process(new RowFilter(selector, pipeline.counters())).id(spec.name() + "-where");
        }
        if (ColumnProjection.needed(spec.objects())) {
            route.process(new ColumnProjection(selector)).id(spec.name() + "-columns");
        }
        if (spec.format().type().equals("maxwell")) {
            route.process(new TransactionEnds()).id(spec.name() + "-transaction-ends"); // Maxwell's "commit": true
        }
        if (snapshotLedger != null) {
            route.process(new SnapshotLedgerStep(snapshotLedger)).id(spec.name() + "-snapshot-ledger");
        }
        SinkFactory sinkPlugin = SinkFactory.of(spec.sink().type());
        Deduplicator dedup = null;
        if (spec.dedup() != null) {
            dedup = new Deduplicator(Deduplicator.repository(spec.name(), spec.dedup()), pipeline.counters(),
                    sinkPlugin.recentlyDelivered(spec));
            route.process(dedup.dropSeen()).id(spec.name() + "-dedup");
        }
        route.process(sinkPlugin.create(new SinkContext(getContext(), spec, format, selector, pipeline.counters(),
                dataDir.resolve(spec.name()), () -> deadLetters(spec)))).id(spec.name() + "-sink");
        if (dedup != null) {
            route.process(dedup.rememberDelivered()).id(spec.name() + "-dedup-remember");
        }
    }

    /** The pipeline's dead letters, kept beside its offsets; the runtime shows and replays them. */
    private runtime.DeadLetters deadLetters(PipelineSpec spec) {
        runtime.DeadLetters letters = new runtime.DeadLetters(dataDir.resolve(spec.name()).resolve("dead-letters.jsonl").toAbsolutePath(),
                pipeline.counters());
        pipeline.deadLetters(letters);
        return letters;
    }

    /** The {@code cdc:debezium-*} URI of the pipeline's source. The password goes through the registry, never into the URI. */
    String sourceUri(PipelineSpec spec) {
        SourceSpec s = spec.source();
        String secret = "tributary." + spec.name() + ".source.password";
        getContext().getRegistry().bind(secret, s.password());
        Path state = dataDir.resolve(spec.name()).toAbsolutePath();
        Map<String, String> o = new LinkedHashMap<>();
        o.put("databaseHostname", s.host());
        o.put("databasePort", String.valueOf(s.port()));
        o.put("databaseUser", s.user());
        o.put("databasePassword", "#bean:" + secret);
        o.put("topicPrefix", spec.name());
        o.put("tableIncludeList", "RAW(" + spec.objects().stream().map(PipelineRoutes::includeRegex).collect(Collectors.joining(",")) + ")");
        o.put("snapshotMode", switch (spec.mode()) {
            case FULL -> "initial_only";
            case INCREMENTAL -> "no_data";
            case FULL_AND_INCREMENTAL -> "initial";
        });
        o.put("offsetStorageFileName", state.resolve("offsets.dat").toString());
        o.put("offsetStorage", sources.AtomicFileOffsetStore.class.getName());
        o.put("offsetCommitPolicy", sources.CommitEveryBatch.class.getName());
        o.put("heartbeatIntervalMs", "10000");
        // a lost source connection (a restarted server, a killed replication connection) restarts the connector after
        // this wait; Debezium's 10 s was most of the measured recovery (docs/reliability.md)
        o.put("retriableRestartConnectorWaitMs", "3000");
        o.put("maxBatchSize", String.valueOf(spec.batch().maxEvents()));
        o.put("maxQueueSize", String.valueOf(Math.max(8192, 4 * spec.batch().maxEvents())));
        o.put("pollIntervalMs", String.valueOf(spec.batch().maxWaitMs()));
        o.put("columnPropagateSourceType", "RAW(.*)");
        // camel-debezium passes its own default, 0, which Debezium hands to the JDBC driver as "no limit": the driver then
        // holds a whole table in memory during the snapshot (5,000,000 rows: out of a 512 MB heap in 13 s). Cursor reads.
        o.put("snapshotFetchSize", "10240");
        if (spec.mode() == PipelineSpec.Mode.FULL) {
            o.put("stopAfterSnapshot", "true");
        }
        List<StartCheck> checks = new java.util.ArrayList<>();
        if (s.publishSchemas()) {
            checks.add(engine -> new PostgresTables(s.host(), s.port(), s.database(), s.user(), s.password())
                    .ensureSchemaPublication(s.publication(), spec.objects().stream().map(ObjectSpec::schema).distinct().toList()));
        }
        if (needsPrimaryKeys(spec)) {
            checks.add(engine -> requirePrimaryKeys(spec));
        }
        if (sources.SourceColumns.needed(spec.objects())) {
            checks.add(engine -> sources.SourceColumns.check(s, spec.objects()));
        }
        if (s.isBinlog() && spec.mode() == PipelineSpec.Mode.INCREMENTAL && spec.startTimestamp() == null) {
            checks.add(engine -> holdBinlogPosition(spec, engine));
        }
        if (s.isBinlog() && spec.startTimestamp() != null) {
            checks.add(engine -> seekBinlog(spec, engine));
            if (OffsetSeed.absent(offsetsOf(spec))) {
                // the seeded position has no schema history yet: rebuild it from the tables, read no rows, then stream
                o.put("snapshotMode", "recovery");
            }
        }
        if (spec.mode() != PipelineSpec.Mode.INCREMENTAL) {
            String ledger = "tributary." + spec.name() + ".snapshotLedger";
            snapshotLedger = new SnapshotLedger(state.resolve("snapshot-ledger"), spec.name(),
                    table -> selector.shardingColumnsOf(table), spec.batch().maxEvents());
            getContext().getRegistry().bind(ledger, snapshotLedger);
            o.put("snapshotLedger", "#bean:" + ledger);
        }
        if (spec.snapshot() != null) {
            String snapshot = "tributary." + spec.name() + ".parallelSnapshot";
            getContext().getRegistry().bind(snapshot, new sources.ParallelSnapshot(s, spec.name(),
                    spec.objects().stream().map(x -> Pattern.compile(includeRegex(x), Pattern.CASE_INSENSITIVE)).toList(),
                    spec.mode() == PipelineSpec.Mode.FULL_AND_INCREMENTAL, spec.snapshot().threads(), spec.snapshot().chunkRows(),
                    spec.batch().maxEvents(), SinkFactory.of(spec.sink().type()).snapshotBatchesInFlight(spec), state.resolve("snapshot.done")));
            o.put("parallelSnapshot", "#bean:" + snapshot);
        }
        if (!checks.isEmpty()) {
            String check = "tributary." + spec.name() + ".startCheck";
            getContext().getRegistry().bind(check, (StartCheck) engine -> {
                for (StartCheck c : checks) {
                    c.check(engine);
                }
            });
            o.put("startCheck", "#bean:" + check);
        }
        String connector;
        if (s.isBinlog()) {
            connector = "debezium-mysql";
            o.put("databaseServerId", String.valueOf(s.serverId()));
            String databases = spec.objects().stream().map(ObjectSpec::schema).distinct()
                    .map(d -> d.replace("$", "\\$")).collect(Collectors.joining(","));
            o.put("databaseIncludeList", "RAW(" + databases + ")");
            // Debezium reads every table of the objects' databases, so that a rename to an unselected name still shows
            // its DDL (RenameFollower reports it); the object selector keeps only the selected tables' rows, and the
            // snapshot reads only those
            o.put("snapshotIncludeCollectionList", o.get("tableIncludeList"));
            o.put("tableIncludeList", "RAW(" + spec.objects().stream().map(ObjectSpec::schema).distinct()
                    .map(d -> d.replace("$", "\\$") + "\\..*").collect(Collectors.joining(",")) + ")");
            // the table schemas Debezium learns from DDL live beside the offsets (Camel's default is a Kafka topic)
            o.put("schemaHistoryInternal", "io.debezium.storage.file.history.FileSchemaHistory");
            o.put("schemaHistoryInternalFileFilename", state.resolve("schema-history.dat").toString());
            o.put("schemaHistoryInternalStoreOnlyCapturedTablesDdl", "true");
            o.put("includeSchemaChanges", "true"); // DDL events: RenameFollower reads renames from them
            // the binlog client notices a lost connection only at its keep-alive check: 60 s by default, measured up to
            // 120 s without a change delivered after the server killed the binlog dump thread (docs/reliability.md)
            o.put("connectKeepAliveIntervalMs", "2000");
            if ("oceanbase".equals(s.type())) {
                // OceanBase has no FLUSH TABLES WITH READ LOCK and its binlog service no TLS: snapshot without locks,
                // consistent through the binlog position read before it (docs/sources/oceanbase.md)
                o.put("snapshotLockingMode", "none");
                o.put("databaseSslMode", "disabled");
            }
            if ("mariadb".equals(s.type())) {
                // Debezium's native MariaDB connector (GTIDs) on the debezium-mysql endpoint, as FACTS.md found it works
                o.put("additionalProperties.connector.class", "io.debezium.connector.mariadb.MariaDbConnector");
                o.put("topicNamingStrategy", "io.debezium.schema.DefaultTopicNamingStrategy");
                o.put("sourceinfoStructMaker", "io.debezium.connector.mariadb.MariaDbSourceInfoStructMaker");
                o.put("databaseSslMode", "disable"); // Camel's default 'preferred' is not a MariaDB connector value
            }
        } else if ("sqlserver".equals(s.type())) {
            connector = "debezium-sqlserver";
            o.put("databaseNames", s.database());
            o.put("schemaHistoryInternal", "io.debezium.storage.file.history.FileSchemaHistory");
            o.put("schemaHistoryInternalFileFilename", state.resolve("schema-history.dat").toString());
            o.put("schemaHistoryInternalStoreOnlyCapturedTablesDdl", "true");
            o.put("includeSchemaChanges", "false");
        } else {
            connector = "debezium-postgres";
            o.put("databaseDbname", s.database());
            o.put("pluginName", "pgoutput");
            o.put("slotName", s.slot());
            o.put("publicationName", s.publication());
            // filtered: Debezium publishes the listed tables at start; schemas: Tributary made a FOR TABLES IN SCHEMA one
            o.put("publicationAutocreateMode", s.publishSchemas() ? "disabled" : "filtered");
        }
        o.putAll(s.options()); // the operator's debezium options win
        return "cdc:" + connector + ":" + spec.name() + "?" + query(o);
    }

    /** A JDBC sink that must not guess a key checks the source's tables before the first change is read. */
    private static boolean needsPrimaryKeys(PipelineSpec spec) {
        return "postgres".equals(spec.source().type()) && spec.sink().config().needsPrimaryKeys()
                && !spec.source().options().containsKey("messageKeyColumns"); // keys the operator chose
    }

    private static void requirePrimaryKeys(PipelineSpec spec) throws SQLException {
        SourceSpec s = spec.source();
        List<Pattern> include = spec.objects().stream()
                .map(o -> Pattern.compile(includeRegex(o), Pattern.CASE_INSENSITIVE)).toList();
        List<String> keyless = new PostgresTables(s.host(), s.port(), s.database(), s.user(), s.password()).withoutPrimaryKey(include);
        if (!keyless.isEmpty()) {
            throw new IllegalStateException("table" + (keyless.size() > 1 ? "s " : " ") + String.join(", ", keyless)
                    + (keyless.size() > 1 ? " have" : " has") + " no primary key, so the JDBC sink cannot apply updates and deletes:"
                    + " add a primary key, set sink.noPrimaryKey: insert (insert-only), or choose key columns with"
                    + " source.options.messageKeyColumns");
        }
    }

    private java.util.Properties offsetsOf(PipelineSpec spec) {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("offset.storage.file.filename", dataDir.resolve(spec.name()).resolve("offsets.dat").toAbsolutePath().toString());
        return p;
    }

    /**
     * Mode incremental on a binlog source: at the first start, store the server's current position as the engine's
     * offset before it runs. Debezium stores a binlog position only with its first delivered change (or heartbeat): a
     * pipeline stopped before either started again at the then-current position and missed what was written in between
     * (MariaDbToKafkaIT#stoppedBeforeItsFirstChangeMissesNothing failed so in a fresh clone). While the schema history
     * is not written yet (this start, or one stopped before it was), it is built from the tables: snapshot.mode=recovery.
     */
    private static void holdBinlogPosition(PipelineSpec spec, java.util.Properties engine) throws Exception {
        String history = engine.getProperty("schema.history.internal.file.filename");
        boolean noHistory = history == null || !java.nio.file.Files.exists(Path.of(history)) || java.nio.file.Files.size(Path.of(history)) == 0;
        if (!OffsetSeed.absent(engine)) {
            if (noHistory) {
                engine.setProperty("snapshot.mode", "recovery");
            }
            return; // started before: the stored position wins
        }
        SourceSpec s = spec.source();
        BinlogSeek seek = new BinlogSeek(s.host(), s.port(), s.user(), s.password(), s.serverId() + 1);
        Map.Entry<String, Long> at;
        try {
            at = seek.current();
        } catch (Exception e) {
            LOG.warn("{}: cannot read the binlog position ({}); Debezium stores it with the first change", spec.name(), e.getMessage());
            return;
        }
        Map<String, Object> offset = new LinkedHashMap<>();
        offset.put("file", at.getKey());
        offset.put("pos", at.getValue());
        if ("mariadb".equals(s.type())) {
            offset.put("gtids", seek.mariaDbGtidsAt(at.getKey(), at.getValue()));
        }
        OffsetSeed.write(engine, Map.of("server", engine.getProperty("topic.prefix")), offset);
        engine.setProperty("snapshot.mode", "recovery");
        LOG.info("{}: starts at binlog {}:{}", spec.name(), at.getKey(), at.getValue());
    }

    /**
     * startTimestamp on a binlog source, first start only: store as the engine's offset the beginning of the binlog file
     * that holds the instant; {@link CommitTimeFilter} drops that file's earlier changes.
     */
    private static void seekBinlog(PipelineSpec spec, java.util.Properties engine) throws Exception {
        if (!OffsetSeed.absent(engine)) {
            return; // started before: the stored position wins
        }
        SourceSpec s = spec.source();
        BinlogSeek seek = new BinlogSeek(s.host(), s.port(), s.user(), s.password(), s.serverId() + 1);
        String file = seek.fileFor(spec.startTimestamp());
        Map<String, Object> offset = new LinkedHashMap<>();
        offset.put("file", file);
        offset.put("pos", 4L);
        if ("mariadb".equals(s.type())) {
            offset.put("gtids", seek.mariaDbGtidsAt(file));
        }
        OffsetSeed.write(engine, Map.of("server", engine.getProperty("topic.prefix")), offset);
        LOG.info("{}: startTimestamp {} → binlog {} from its start", spec.name(), spec.startTimestamp(), file);
    }

    /** Debezium's include list matches regexes against {@code schema.table}. */
    static String includeRegex(ObjectSpec o) {
        return o.schema().replace("$", "\\$") + "\\." + o.table().replace("$", "\\$").replace("*", ".*");
    }

    private static String query(Map<String, String> options) {
        return options.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("&"));
    }
}
