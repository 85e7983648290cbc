package sinks.jdbc;

import config.SinkConfig;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code sink: {type: jdbc}} (docs/sinks/jdbc.md).
 *
 * @param autoCreate   create a missing target table from the change's columns
 * @param autoEvolve   add columns the target lacks
 * @param batchSize    rows per statement batch
 * @param noPrimaryKey {@code fail}: a table without a primary key stops the pipeline with a clear error;
 *                     {@code insert}: its changes are inserted (updates and deletes cannot be applied and are skipped, counted)
 */
public record JdbcSinkConfig(String url, String user, String password, boolean autoCreate, boolean autoEvolve, int batchSize,
                             String noPrimaryKey) implements SinkConfig {

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("url", String.valueOf(url).replaceAll("(?i)password=[^;&]*", "password=******"));
        m.put("user", user);
        return m;
    }

    @Override
    public List<String> secrets() {
        return java.util.Collections.singletonList(password);
    }

    @Override
    public boolean needsPrimaryKeys() {
        return "fail".equals(noPrimaryKey);
    }

    @Override
    public String toString() {
        return "JdbcSinkConfig[url=" + describe().get("url") + ", user=" + user + ", password=******, autoCreate=" + autoCreate
                + ", autoEvolve=" + autoEvolve + ", batchSize=" + batchSize + ", noPrimaryKey=" + noPrimaryKey + "]";
    }
}
