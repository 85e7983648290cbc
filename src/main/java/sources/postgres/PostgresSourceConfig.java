package sources.postgres;

import sources.DatabaseSourceConfig;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code source: {type: postgres}}: logical decoding with pgoutput (docs/sources/postgres.md).
 *
 * @param slot           the replication slot (default {@code tributary_<pipeline>})
 * @param publication    the publication (default as the slot)
 * @param publishSchemas the publication covers the objects' whole schemas ({@code FOR TABLES IN SCHEMA}), so a table
 *                       created later (drop and re-create included) is published from its creation
 * @param options        Debezium options passed through as written
 */
public record PostgresSourceConfig(String host, int port, String database, String user, String password, String slot,
                                   String publication, boolean publishSchemas, Map<String, String> options)
        implements DatabaseSourceConfig {

    public PostgresSourceConfig {
        options = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    @Override
    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> m = server();
        m.put("slot", slot);
        return m;
    }

    @Override
    public String toString() {
        return "PostgresSourceConfig[host=" + host + ", port=" + port + ", database=" + database + ", user=" + user
                + ", password=******, slot=" + slot + ", publication=" + publication + ", options=" + options.keySet() + "]";
    }
}
