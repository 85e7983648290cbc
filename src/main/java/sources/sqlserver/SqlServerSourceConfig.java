package sources.sqlserver;

import sources.DatabaseSourceConfig;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code source: {type: sqlserver}}: SQL Server's change tables read by Debezium (docs/sources/sqlserver.md). */
public record SqlServerSourceConfig(String host, int port, String database, String user, String password, Map<String, String> options)
        implements DatabaseSourceConfig {

    public SqlServerSourceConfig {
        options = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    @Override
    public String jdbcUrl() {
        return "jdbc:sqlserver://" + host + ":" + port + ";databaseName=" + database + ";encrypt=false";
    }

    @Override
    public Map<String, Object> describe() {
        return server();
    }

    @Override
    public String toString() {
        return "SqlServerSourceConfig[host=" + host + ", port=" + port + ", database=" + database + ", user=" + user
                + ", password=******, options=" + options.keySet() + "]";
    }
}
