package sources;

import config.PipelineSpec;
import config.PipelineSpec.ObjectSpec;
import config.Prechecks;
import model.TableId;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import processors.DebeziumNormalizer;
import snapshots.SnapshotLedger;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * What every Debezium-based source shares: the {@code cdc:debezium-*} endpoint with Tributary's engine settings
 * (atomic offsets committed per batch, batch bounds, snapshot ledger, start checks), then the normalizer. A connector
 * adds its own options and checks ({@link #connectorOptions}).
 */
public abstract class DebeziumSourceFactory implements SourceFactory {

    /** camel-debezium's scheme of this connector, e.g. {@code debezium-postgres}. */
    protected abstract String connector();

    /** Adds this connector's Debezium options to {@code o} and the checks to run before the engine reads to {@code checks}. */
    protected abstract void connectorOptions(PipelineSpec spec, Path state, Map<String, String> o, List<StartCheck> checks);

    /** Tables whose updates and deletes carry the whole old row (else only the key). */
    protected abstract Predicate<TableId> fullOldRows(PipelineSpec spec);

    /** Debezium's transaction metadata (BEGIN/END records) marks where each transaction ends. */
    @Override
    public boolean reportsTransactionEnds() {
        return true;
    }

    /** The step right after the normalizer that follows table renames (binlog sources); null: none. */
    protected Processor renames(SourceContext c) {
        return null;
    }

    /**
     * The bean that takes the snapshot instead of Debezium (null: Debezium's own snapshot). Its properties are
     * {@code threads}, {@code chunkRows} and {@code batchesInFlight} (how {@code routes export} writes it); the rest it
     * reads from the engine's properties ({@link SnapshotReader#configure}).
     */
    protected SnapshotReader parallelSnapshot(PipelineSpec.Snapshot snapshot, int batchesInFlight) {
        return null;
    }

    @Override
    public SourceRoute route(SourceContext c) {
        PipelineSpec spec = c.spec();
        SnapshotLedger ledger = spec.mode() == PipelineSpec.Mode.INCREMENTAL ? null
                : new SnapshotLedger(c.stateDir().resolve("snapshot-ledger"), spec.name(), c.selector()::shardingColumnsOf,
                spec.batch().maxEvents());
        return new SourceRoute(endpointUri(c.camel(), spec, c.stateDir(), ledger, c.snapshotBatchesInFlight()),
                new DebeziumNormalizer(spec.name(), fullOldRows(spec)), renames(c), ledger);
    }

    /**
     * The {@code cdc:debezium-*} URI of a pipeline's source. Beans it refers to (the password, the ledger, the start
     * checks) are bound in {@code camel}'s registry: the password never enters the URI.
     *
     * @param ledger null: no snapshot ledger (mode incremental)
     */
    public String endpointUri(CamelContext camel, PipelineSpec spec, Path state, SnapshotLedger ledger, int snapshotBatchesInFlight) {
        DatabaseSourceConfig s = spec.source().config(DatabaseSourceConfig.class);
        String secret = "tributary." + spec.name() + ".source.password";
        camel.getRegistry().bind(secret, s.password());
        List<StartCheck> checks = new ArrayList<>();
        Map<String, String> o = engineOptions(spec, state, "#bean:" + secret, checks);
        if (ledger != null) {
            String name = "tributary." + spec.name() + ".snapshotLedger";
            camel.getRegistry().bind(name, ledger);
            o.put("snapshotLedger", "#bean:" + name);
        }
        SnapshotReader parallel = spec.snapshot() == null ? null : parallelSnapshot(spec.snapshot(), snapshotBatchesInFlight);
        if (parallel != null) {
            String name = "tributary." + spec.name() + ".parallelSnapshot";
            camel.getRegistry().bind(name, parallel);
            o.put("parallelSnapshot", "#bean:" + name);
        }
        if (!checks.isEmpty()) {
            String name = "tributary." + spec.name() + ".startCheck";
            camel.getRegistry().bind(name, (StartCheck) engine -> {
                for (StartCheck c : checks) {
                    c.check(engine);
                }
            });
            o.put("startCheck", "#bean:" + name);
        }
        o.putAll(s.options()); // the operator's debezium options win
        return "cdc:" + connector() + ":" + spec.name() + "?"
                + o.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("&"));
    }

    /**
     * The Debezium engine's options of a pipeline, as {@code cdc:} parameters, without the operator's own and without
     * bean references; the checks to run before the engine reads go to {@code checks}.
     *
     * @param password the value of {@code databasePassword} (a bean reference or a property placeholder)
     */
    private Map<String, String> engineOptions(PipelineSpec spec, Path state, String password, List<StartCheck> checks) {
        DatabaseSourceConfig s = spec.source().config(DatabaseSourceConfig.class);
        Map<String, String> o = new LinkedHashMap<>();
        o.put("databaseHostname", s.host());
        o.put("databasePort", String.valueOf(s.port()));
        o.put("databaseUser", s.user());
        o.put("databasePassword", password);
        o.put("topicPrefix", spec.name());
        o.put("tableIncludeList", "RAW(" + spec.objects().stream().map(DebeziumSourceFactory::includeRegex).collect(Collectors.joining(",")) + ")");
        o.put("snapshotMode", switch (spec.mode()) {
            case FULL -> "initial_only";
            case INCREMENTAL -> "no_data";
            case FULL_AND_INCREMENTAL -> "initial";
        });
        o.put("offsetStorageFileName", state.resolve("offsets.dat").toString());
        o.put("offsetStorage", AtomicFileOffsetStore.class.getName());
        o.put("offsetCommitPolicy", CommitEveryBatch.class.getName());
        o.put("heartbeatIntervalMs", "10000");
        // a lost source connection (a restarted server, a killed replication connection) restarts the connector after
        // this wait; Debezium's 10 s was most of the measured recovery (docs/reliability.md)
        o.put("retriableRestartConnectorWaitMs", "3000");
        o.put("maxBatchSize", String.valueOf(spec.batch().maxEvents()));
        o.put("maxQueueSize", String.valueOf(Math.max(8192, 4 * spec.batch().maxEvents())));
        o.put("pollIntervalMs", String.valueOf(spec.batch().maxWaitMs()));
        o.put("columnPropagateSourceType", "RAW(.*)");
        // Debezium's three context headers (connector name, task id, version) on every record: nothing reads them, and
        // building them was a per-change cost on the connector's reading thread (docs/performance.md)
        o.put("extendedHeadersEnabled", "false");
        // camel-debezium passes its own default, 0, which Debezium hands to the JDBC driver as "no limit": the driver then
        // holds a whole table in memory during the snapshot (5,000,000 rows: out of a 512 MB heap in 13 s). Cursor reads.
        o.put("snapshotFetchSize", "10240");
        if (spec.mode() == PipelineSpec.Mode.FULL) {
            o.put("stopAfterSnapshot", "true");
        }
        if (spec.dedup() == null && spec.batch().overlap()) {
            // dedup remembers a batch's ids after its sink: the next batch's dedup step must not run before that
            o.put("overlapBatches", "true");
        }
        if (spec.format().wholeTransactions()) {
            o.put("provideTransactionMetadata", "true"); // BEGIN/END records: where each transaction ends
            o.put("wholeTransactions", "true");
        }
        connectorOptions(spec, state, o, checks);
        if (SourceColumns.needed(spec.objects())) {
            checks.add(engine -> SourceColumns.check(s, spec.objects()));
        }
        return o;
    }

    /**
     * The {@code cdc:} endpoint with the pipeline's options, the normalizer as a {@code blocks.ChangeEvents} bean, the
     * snapshot ledger and the parallel snapshot. Not written: the checks before the engine starts (a hand-written route
     * starts without them; a connector writes those that decide where it starts, {@link #export} overrides).
     */
    @Override
    public void export(SourceExport x) {
        PipelineSpec spec = x.spec();
        Map<String, String> o = engineOptions(spec, x.stateDir(), x.secret("source.password"), new ArrayList<>());
        if (spec.mode() != PipelineSpec.Mode.INCREMENTAL) {
            x.useLedger();
            o.put("snapshotLedger", "#bean:" + x.ledgerBean());
        }
        SnapshotReader parallel = spec.snapshot() == null ? null : parallelSnapshot(spec.snapshot(), x.snapshotBatchesInFlight());
        if (parallel != null) {
            Map<String, Object> props = new LinkedHashMap<>();
            props.put("threads", spec.snapshot().threads());
            props.put("chunkRows", spec.snapshot().chunkRows());
            props.put("batchesInFlight", x.snapshotBatchesInFlight());
            o.put("parallelSnapshot", x.bean(spec.name() + "-parallel-snapshot", parallel.getClass().getName(), props));
        }
        o.putAll(spec.source().config(DatabaseSourceConfig.class).options());
        x.from("cdc:" + connector() + ":" + spec.name());
        o.forEach((k, v) -> x.parameters().put(k, v.startsWith("RAW(") && v.endsWith(")") ? v.substring(4, v.length() - 1) : v));
        Map<String, Object> normalizer = new LinkedHashMap<>();
        normalizer.put("pipeline", spec.name());
        exportOldRows(x, normalizer);
        String name = spec.name() + "-changes";
        x.bean(name, "blocks.ChangeEvents", normalizer);
        x.step(Map.of("process", Map.of("ref", name)));
    }

    /** How the exported normalizer learns which tables log whole old rows: here, every table. */
    protected void exportOldRows(SourceExport x, Map<String, Object> normalizer) {
        normalizer.put("wholeOldRows", true);
    }

    /** source.connect, then the connector's own checks ({@link #precheckServer}), then source.tables. */
    @Override
    public void precheck(PipelineSpec spec, Prechecks checks) {
        DatabaseSourceConfig s = spec.source().config(DatabaseSourceConfig.class);
        if (!SourceChecks.connect(checks, s.jdbcUrl(), s.user(), s.password())) {
            return;
        }
        precheckServer(spec, checks);
        SourceChecks.tables(checks, spec, s.jdbcUrl(), s.user(), s.password(), s.catalogIsDatabase());
    }

    /** The server's capture settings and the user's rights. */
    protected void precheckServer(PipelineSpec spec, Prechecks checks) {
    }

    /** {@code source.options}: Debezium options; a password there would become part of an endpoint URI. */
    protected static Map<String, String> debeziumOptions(config.Section source) {
        Map<String, String> options = source.options();
        if (options.keySet().stream().anyMatch(k -> k.toLowerCase().contains("password"))) {
            source.error("options", "a password does not belong in options (it would become part of an endpoint URI): use source.password");
        }
        return options;
    }

    /** Debezium's include list matches regexes against {@code schema.table}. */
    public static String includeRegex(ObjectSpec o) {
        return o.schema().replace("$", "\\$") + "\\." + o.table().replace("$", "\\$").replace("*", ".*");
    }
}
