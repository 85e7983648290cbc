package sources.binlog;

import sources.DatabaseSourceConfig;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code source: {type: mysql | mariadb | oceanbase}}: a MySQL-protocol binlog read as a replica (docs/sources/).
 *
 * @param type     the flavour: its JDBC URL and Debezium connector differ
 * @param database optional: the objects name {@code database.table}
 * @param user     OceanBase: already {@code user@tenant[#cluster]}
 * @param serverId the replica id, unique among the server's replicas (default: stable per pipeline)
 * @param options  Debezium options passed through as written
 */
public record BinlogSourceConfig(String type, String host, int port, String database, String user, String password, long serverId,
                                 Map<String, String> options) implements DatabaseSourceConfig {

    public BinlogSourceConfig {
        options = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    @Override
    public String jdbcUrl() {
        return "mariadb".equals(type) ? "jdbc:mariadb://" + host + ":" + port + "/"
                : "jdbc:mysql://" + host + ":" + port + "/?useSSL=false&allowPublicKeyRetrieval=true";
    }

    @Override
    public boolean catalogIsDatabase() {
        return true;
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> m = server();
        m.put("serverId", serverId);
        return m;
    }

    @Override
    public String toString() {
        return "BinlogSourceConfig[type=" + type + ", host=" + host + ", port=" + port + ", database=" + database + ", user=" + user
                + ", password=******, serverId=" + serverId + ", options=" + options.keySet() + "]";
    }
}
