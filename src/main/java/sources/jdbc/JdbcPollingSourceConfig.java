package sources.jdbc;

import config.SourceConfig;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code source: {type: jdbc}}: a database polled with SQL (docs/sources/jdbc.md).
 *
 * @param url            any JDBC URL whose driver is on the classpath
 * @param pollIntervalMs pause after a poll that found nothing new
 * @param delayMs        timestamp modes: read only rows whose timestamp is older than the database's now minus this,
 *                       so a transaction that commits within it is not passed by
 */
public record JdbcPollingSourceConfig(String url, String user, String password, int pollIntervalMs, int delayMs) implements SourceConfig {

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

    /** A MySQL-family URL: a table's schema is a database (a JDBC catalog). */
    boolean catalogIsDatabase() {
        return url.matches("jdbc:(mysql|mariadb|oceanbase):.*");
    }

    @Override
    public String toString() {
        return "JdbcPollingSourceConfig[url=" + describe().get("url") + ", user=" + user + ", password=******, pollIntervalMs="
                + pollIntervalMs + ", delayMs=" + delayMs + "]";
    }
}
