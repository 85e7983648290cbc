package sources.postgres;

import config.PipelineSpec;
import config.PipelineSpec.ObjectSpec;
import config.Prechecks;
import config.Section;
import config.SourceConfig;
import model.TableId;
import sources.DebeziumSourceFactory;
import sources.SourceChecks;
import sources.StartCheck;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/** The {@code postgres} source plug-in: Debezium's PostgreSQL connector on pgoutput, or the parallel snapshot first. */
public final class PostgresSourceFactory extends DebeziumSourceFactory {

    @Override
    public String type() {
        return "postgres";
    }

    @Override
    public SourceConfig read(Section source) {
        source.onlyKeys("type", "host", "port", "database", "user", "password", "slot", "publication", "publicationScope", "options");
        String host = source.string("host", true, null);
        int port = source.integer("port", 5432, 1, 65535);
        String database = source.string("database", true, null);
        String user = source.string("user", true, null);
        String password = source.secret("password", true);
        String defaultSlot = source.pipeline() == null ? null : "tributary_" + source.pipeline().replace('-', '_');
        String slot = source.identifier("slot", defaultSlot);
        String publication = source.identifier("publication", defaultSlot);
        Map<String, String> options = debeziumOptions(source);
        boolean publishSchemas = "schemas".equals(source.oneOf("publicationScope", "tables", Set.of("tables", "schemas")));
        return new PostgresSourceConfig(host, port, database, user, password, slot, publication, publishSchemas, options);
    }

    @Override
    public boolean parallelSnapshot() {
        return true;
    }

    @Override
    protected String connector() {
        return "debezium-postgres";
    }

    @Override
    protected void connectorOptions(PipelineSpec spec, Path stateDir, Map<String, String> o, List<StartCheck> checks) {
        PostgresSourceConfig s = spec.source().config(PostgresSourceConfig.class);
        o.put("databaseDbname", s.database());
        o.put("pluginName", "pgoutput");
        o.put("slotName", s.slot());
        o.put("publicationName", s.publication());
        // Debezium's source block, filled only when something reads it (PostgresSourceBlocks says why)
        o.put("sourceinfoStructMaker", PostgresSourceBlocks.class.getName());
        // filtered: Debezium publishes the listed tables at start; schemas: Tributary made a FOR TABLES IN SCHEMA one
        o.put("publicationAutocreateMode", s.publishSchemas() ? "disabled" : "filtered");
        if (s.publishSchemas()) {
            checks.add(schemaPublication(spec));
        }
        // cluster mode: the slot may still be held by the connection of a previous owner that stopped answering (paused,
        // partitioned) — this node holds the newer epoch, so it ends that connection instead of failing on "slot active"
        checks.add(engine -> {
            if (state.SharedState.isShared(stateDir)) {
                PostgresTables.takeOverSlot(s);
            }
        });
        if (debeziumSnapshotThenStream(spec)) {
            checks.add(new ExportedSnapshotSlot());
        }
        // a sink that must not guess a key (JDBC upserts) checks the tables before the first change is read, unless the
        // operator chose the key columns
        if (spec.sink().config().needsPrimaryKeys() && !s.options().containsKey("messageKeyColumns")) {
            checks.add(engine -> requirePrimaryKeys(spec, s));
        }
    }

    /**
     * Debezium takes the snapshot and streams after it: its snapshot matches the stream's start only when it creates the
     * slot itself, so a stale one is dropped first ({@link ExportedSnapshotSlot}).
     */
    private static boolean debeziumSnapshotThenStream(PipelineSpec spec) {
        return spec.snapshot() == null && spec.mode() == PipelineSpec.Mode.FULL_AND_INCREMENTAL;
    }

    private static SchemaPublication schemaPublication(PipelineSpec spec) {
        return new SchemaPublication().schemas(spec.objects().stream().map(ObjectSpec::schema).distinct().toList());
    }

    /** As every Debezium source, and {@code publicationScope: schemas} as the endpoint's start check. */
    @Override
    public void export(sources.SourceExport x) {
        super.export(x);
        List<String> startChecks = new java.util.ArrayList<>();
        if (x.spec().source().config(PostgresSourceConfig.class).publishSchemas()) {
            startChecks.add(x.bean(x.spec().name() + "-schema-publication", SchemaPublication.class.getName(),
                    java.util.Map.of("schemas", schemaPublication(x.spec()).getSchemas())));
        }
        if (debeziumSnapshotThenStream(x.spec())) {
            startChecks.add(x.bean(x.spec().name() + "-snapshot-slot", ExportedSnapshotSlot.class.getName(), java.util.Map.of()));
        }
        if (!startChecks.isEmpty()) {
            x.parameters().put("startCheck", String.join(",", startChecks));
        }
    }

    @Override
    protected Predicate<TableId> fullOldRows(PipelineSpec spec) {
        PostgresSourceConfig s = spec.source().config(PostgresSourceConfig.class);
        return new PostgresReplicaIdentity(s.host(), s.port(), s.database(), s.user(), s.password());
    }

    /** Whole old rows where the table has REPLICA IDENTITY FULL, asked of the server as the pipeline does. */
    @Override
    protected void exportOldRows(sources.SourceExport x, java.util.Map<String, Object> normalizer) {
        PostgresSourceConfig s = x.spec().source().config(PostgresSourceConfig.class);
        String name = x.spec().name() + "-replica-identity";
        java.util.Map<String, Object> args = new java.util.LinkedHashMap<>();
        args.put("0", s.host());
        args.put("1", s.port());
        args.put("2", s.database());
        args.put("3", s.user());
        args.put("4", x.secret("source.password"));
        java.util.Map<String, Object> bean = new java.util.LinkedHashMap<>();
        bean.put("name", name);
        bean.put("type", PostgresReplicaIdentity.class.getName());
        bean.put("constructors", args);
        x.bean(bean);
        normalizer.put("fullOldRows", "#bean:" + name);
    }

    @Override
    protected sources.SnapshotReader parallelSnapshot(PipelineSpec.Snapshot snapshot, int batchesInFlight) {
        return new PostgresParallelSnapshot(snapshot.threads(), snapshot.chunkRows(), batchesInFlight);
    }

    @Override
    public String release(PipelineSpec spec) throws SQLException {
        PostgresSourceConfig s = spec.source().config(PostgresSourceConfig.class);
        return s.slot() == null ? null : PostgresTables.dropSlot(s);
    }

    private static List<Pattern> include(PipelineSpec spec) {
        return spec.objects().stream().map(o -> Pattern.compile(includeRegex(o), Pattern.CASE_INSENSITIVE)).toList();
    }

    private static PostgresTables tables(PostgresSourceConfig s) {
        return new PostgresTables(s.host(), s.port(), s.database(), s.user(), s.password());
    }

    private static void requirePrimaryKeys(PipelineSpec spec, PostgresSourceConfig s) throws SQLException {
        List<String> keyless = tables(s).withoutPrimaryKey(include(spec));
        if (!keyless.isEmpty()) {
            throw new IllegalStateException("table" + (keyless.size() > 1 ? "s " : " ") + String.join(", ", keyless)
                    + (keyless.size() > 1 ? " have" : " has") + " no primary key, so the JDBC sink cannot apply updates and deletes:"
                    + " add a primary key, set sink.noPrimaryKey: insert (insert-only), or choose key columns with"
                    + " source.options.messageKeyColumns");
        }
    }

    /** source.wal_level, source.replication_privilege, source.slot, source.publication. */
    @Override
    protected void precheckServer(PipelineSpec spec, Prechecks checks) {
        PostgresSourceConfig s = spec.source().config(PostgresSourceConfig.class);
        String url = s.jdbcUrl();
        checks.check("source.wal_level", () -> {
            String level = SourceChecks.single(url, s.user(), s.password(), "SHOW wal_level");
            if (!"logical".equals(level)) {
                throw new IllegalStateException("wal_level is " + level + ", must be logical (ALTER SYSTEM SET wal_level = logical; restart)");
            }
            return "logical";
        });
        checks.check("source.replication_privilege", () -> {
            String ok = SourceChecks.single(url, s.user(), s.password(), "SELECT rolreplication OR rolsuper FROM pg_roles WHERE rolname = current_user");
            if (!"t".equals(ok) && !"true".equals(ok)) {
                throw new IllegalStateException("user " + s.user() + " lacks REPLICATION (ALTER ROLE " + s.user() + " REPLICATION)");
            }
            return "user " + s.user() + " may replicate";
        });
        checks.check("source.slot", () -> {
            try (Connection c = DriverManager.getConnection(url, s.user(), s.password());
                 PreparedStatement st = c.prepareStatement("SELECT plugin, active, database FROM pg_replication_slots WHERE slot_name = ?")) {
                st.setString(1, s.slot());
                try (ResultSet rs = st.executeQuery()) {
                    if (!rs.next()) {
                        return "slot " + s.slot() + " does not exist yet: the pipeline creates it at its first start";
                    }
                    if (!"pgoutput".equals(rs.getString(1)) || !s.database().equals(rs.getString(3))) {
                        throw new IllegalStateException("slot " + s.slot() + " exists for plugin " + rs.getString(1) + " in database "
                                + rs.getString(3) + ": another reader's? choose source.slot");
                    }
                    return "slot " + s.slot() + " exists (pgoutput, " + (rs.getBoolean(2) ? "in use" : "idle") + "): the pipeline resumes from it";
                }
            }
        });
        checks.check("source.publication", () -> {
            try (Connection c = DriverManager.getConnection(url, s.user(), s.password());
                 PreparedStatement st = c.prepareStatement("SELECT count(*) FROM pg_publication WHERE pubname = ?")) {
                st.setString(1, s.publication());
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    return "publication " + s.publication() + (rs.getInt(1) > 0 ? " exists" : " does not exist yet: the pipeline creates it");
                }
            }
        });
    }
}
