package sources.sqlserver;

import config.PipelineSpec;
import config.Section;
import config.SourceConfig;
import model.TableId;
import sources.DebeziumSourceFactory;
import sources.StartCheck;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** The {@code sqlserver} source plug-in: Debezium's SQL Server connector, the schema history beside the offsets. */
public final class SqlServerSourceFactory extends DebeziumSourceFactory {

    @Override
    public String type() {
        return "sqlserver";
    }

    @Override
    public SourceConfig read(Section source) {
        source.onlyKeys("type", "host", "port", "database", "user", "password", "options");
        String host = source.string("host", true, null);
        int port = source.integer("port", 1433, 1, 65535);
        String database = source.string("database", true, null);
        String user = source.string("user", true, null);
        String password = source.secret("password", true);
        return new SqlServerSourceConfig(host, port, database, user, password, debeziumOptions(source));
    }

    @Override
    protected String connector() {
        return "debezium-sqlserver";
    }

    @Override
    protected void connectorOptions(PipelineSpec spec, Path state, Map<String, String> o, List<StartCheck> checks) {
        o.put("databaseNames", spec.source().config(SqlServerSourceConfig.class).database());
        // (each record replaces the file whole: crash-safe, and mirrored in a cluster's state database)
        o.put("schemaHistoryInternal", sources.AtomicFileSchemaHistory.class.getName());
        o.put("schemaHistoryInternalFileFilename", state.resolve("schema-history.dat").toString());
        o.put("schemaHistoryInternalStoreOnlyCapturedTablesDdl", "true");
        o.put("includeSchemaChanges", "false");
    }

    /** SQL Server's change tables hold the whole row before an update (operation 3) and a delete. */
    @Override
    protected Predicate<TableId> fullOldRows(PipelineSpec spec) {
        return table -> true;
    }
}
