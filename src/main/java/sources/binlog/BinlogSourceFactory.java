package sources.binlog;

import config.PipelineSpec;
import config.PipelineSpec.ObjectSpec;
import config.Prechecks;
import config.Section;
import config.SourceConfig;
import model.TableId;
import org.apache.camel.Processor;
import processors.RenameFollower;
import sources.DebeziumSourceFactory;
import sources.SourceContext;
import sources.StartCheck;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The binlog sources (MySQL, MariaDB, OceanBase's binlog service): Debezium's MySQL-family connectors, the schema
 * history beside the offsets, renames followed from DDL, and a binlog position held or sought before the first start.
 * One subclass per flavour sets what differs.
 */
public abstract class BinlogSourceFactory extends DebeziumSourceFactory {

    /** The port when the file names none. */
    protected int defaultPort() {
        return 3306;
    }

    /** Keys beyond the common ones (OceanBase: tenant, cluster). */
    protected List<String> extraKeys() {
        return List.of();
    }

    /** The user name the server expects (OceanBase: user@tenant#cluster). */
    protected String loginName(Section source, String user) {
        return user;
    }

    /** This flavour's Debezium options. */
    protected abstract void flavourOptions(Map<String, String> o);

    @Override
    public SourceConfig read(Section source) {
        List<String> keys = new ArrayList<>(List.of("type", "host", "port", "database", "user", "password", "serverId"));
        keys.addAll(extraKeys());
        keys.add("options");
        source.onlyKeys(keys.toArray(String[]::new));
        String host = source.string("host", true, null);
        int port = source.integer("port", defaultPort(), 1, 65535);
        String database = source.string("database", false, null);
        String user = loginName(source, source.string("user", true, null));
        String password = source.secret("password", true);
        // a replica id of its own per pipeline, stable across restarts (two readers with one id evict each other)
        int defaultId = source.pipeline() == null ? 1 : 10_000 + Math.floorMod(source.pipeline().hashCode(), 1_000_000);
        long serverId = source.integer("serverId", defaultId, 1, Integer.MAX_VALUE);
        return new BinlogSourceConfig(type(), host, port, database, user, password, serverId, debeziumOptions(source));
    }

    @Override
    public boolean parallelSnapshot() {
        return true;
    }

    @Override
    protected sources.SnapshotReader parallelSnapshot(PipelineSpec.Snapshot snapshot, int batchesInFlight) {
        return new BinlogParallelSnapshot(snapshot.threads(), snapshot.chunkRows(), batchesInFlight);
    }

    @Override
    public boolean seeksByTime() {
        return true;
    }

    @Override
    protected String connector() {
        return "debezium-mysql";
    }

    @Override
    protected void connectorOptions(PipelineSpec spec, Path state, Map<String, String> o, List<StartCheck> checks) {
        BinlogSourceConfig s = spec.source().config(BinlogSourceConfig.class);
        if (spec.mode() == PipelineSpec.Mode.INCREMENTAL) {
            checks.add(new BinlogStart().startTimestamp(spec.startTimestamp()));
        }
        o.put("databaseServerId", String.valueOf(s.serverId()));
        String databases = spec.objects().stream().map(ObjectSpec::schema).distinct()
                .map(d -> d.replace("$", "\\$")).collect(Collectors.joining(","));
        o.put("databaseIncludeList", "RAW(" + databases + ")");
        // Debezium reads every table of the objects' databases, so that a rename to an unselected name still shows its
        // DDL (RenameFollower reports it); the object selector keeps only the selected tables' rows, and the snapshot
        // reads only those
        o.put("snapshotIncludeCollectionList", o.get("tableIncludeList"));
        o.put("tableIncludeList", "RAW(" + spec.objects().stream().map(ObjectSpec::schema).distinct()
                .map(d -> d.replace("$", "\\$") + "\\..*").collect(Collectors.joining(",")) + ")");
        // the table schemas Debezium learns from DDL live beside the offsets (Camel's default is a Kafka topic)
        // (each record replaces the file whole: crash-safe, and mirrored in a cluster's state database)
        o.put("schemaHistoryInternal", sources.AtomicFileSchemaHistory.class.getName());
        o.put("schemaHistoryInternalFileFilename", state.resolve("schema-history.dat").toString());
        // the DDL of every table of the objects' databases (not only the captured ones), so that the schema snapshot
        // knows the unselected tables too: a change to one of them is otherwise "a table whose schema isn't known",
        // which stops the engine; the object selector then drops its rows
        o.put("schemaHistoryInternalStoreOnlyCapturedTablesDdl", "false");
        o.put("schemaHistoryInternalStoreOnlyCapturedDatabasesDdl", "true");
        o.put("includeSchemaChanges", "true"); // DDL events: RenameFollower reads renames from them
        // the binlog client notices a lost connection only at its keep-alive check: 60 s by default, measured up to
        // 120 s without a change delivered after the server killed the binlog dump thread (docs/reliability.md)
        o.put("connectKeepAliveIntervalMs", "2000");
        flavourOptions(o);
    }

    /** A row-based binlog carries whole old rows (binlog_row_image=FULL, checked by the precheck). */
    @Override
    protected Predicate<TableId> fullOldRows(PipelineSpec spec) {
        return table -> true;
    }

    @Override
    protected Processor renames(SourceContext c) {
        return new RenameFollower(c.selector(), c.carriesDdl());
    }

    /**
     * As the pipeline: mode incremental begins where {@link BinlogStart} says (a start check the route keeps), table
     * renames are followed right after the normalizer.
     */
    @Override
    public void export(sources.SourceExport x) {
        super.export(x);
        if (x.spec().mode() == PipelineSpec.Mode.INCREMENTAL) {
            Instant start = x.spec().startTimestamp();
            x.parameters().put("startCheck", x.bean(x.spec().name() + "-binlog-start", BinlogStart.class.getName(),
                    start == null ? Map.of() : Map.of("startTimestamp", start.toString())));
        }
        x.step(java.util.Map.of("bean", java.util.Map.of("ref", x.objectsBean(), "method", "followRenames")));
    }

    /** source.binlog: row-based with whole rows; source.grants: the replica's rights. */
    @Override
    protected void precheckServer(PipelineSpec spec, Prechecks checks) {
        BinlogSourceConfig s = spec.source().config(BinlogSourceConfig.class);
        String url = s.jdbcUrl();
        checks.check("source.binlog", () -> {
            try (Connection c = DriverManager.getConnection(url, s.user(), s.password()); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT @@log_bin, @@binlog_format, @@binlog_row_image")) {
                rs.next();
                List<String> wrong = new ArrayList<>();
                if (!"1".equals(rs.getString(1)) && !"ON".equalsIgnoreCase(rs.getString(1))) {
                    wrong.add("log_bin is off");
                }
                if (!"ROW".equalsIgnoreCase(rs.getString(2))) {
                    wrong.add("binlog_format is " + rs.getString(2) + ", must be ROW");
                }
                if (!"FULL".equalsIgnoreCase(rs.getString(3))) {
                    wrong.add("binlog_row_image is " + rs.getString(3) + ", must be FULL");
                }
                if (!wrong.isEmpty()) {
                    throw new IllegalStateException(String.join("; ", wrong));
                }
                return "log_bin ON, binlog_format ROW, binlog_row_image FULL";
            }
        });
        checks.check("source.grants", () -> {
            StringBuilder grants = new StringBuilder();
            try (Connection c = DriverManager.getConnection(url, s.user(), s.password()); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SHOW GRANTS")) {
                while (rs.next()) {
                    grants.append(rs.getString(1).toUpperCase(Locale.ROOT)).append('\n');
                }
            } catch (java.sql.SQLException e) {
                if (String.valueOf(e.getMessage()).contains("skip-grant-tables")) {
                    return "the server runs with --skip-grant-tables: every user may do everything";
                }
                throw e;
            }
            String g = grants.toString();
            boolean all = g.contains("ALL PRIVILEGES ON *.*");
            List<String> missing = new ArrayList<>();
            for (String need : new String[]{"REPLICATION SLAVE", "REPLICATION CLIENT", "SELECT"}) {
                String alt = need.equals("REPLICATION SLAVE") ? "REPLICATION REPLICA" : need.equals("REPLICATION CLIENT") ? "BINLOG MONITOR" : need;
                if (!all && !g.contains(need) && !g.contains(alt)) {
                    missing.add(need);
                }
            }
            if (!missing.isEmpty()) {
                throw new IllegalStateException("user " + s.user() + " lacks " + String.join(", ", missing) + " (GRANT SELECT, RELOAD, SHOW DATABASES, "
                        + "REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO ...)");
            }
            return all ? "ALL PRIVILEGES" : "SELECT, REPLICATION SLAVE, REPLICATION CLIENT";
        });
    }
}
