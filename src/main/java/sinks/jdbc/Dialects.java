package sinks.jdbc;

/** The dialect for a JDBC URL. */
public final class Dialects {

    private Dialects() {
    }

    public static Dialect forUrl(String jdbcUrl) {
        String url = jdbcUrl.toLowerCase(java.util.Locale.ROOT);
        if (url.startsWith("jdbc:postgresql:")) {
            return new PostgresDialect();
        }
        if (url.startsWith("jdbc:mysql:") || url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:oceanbase:")) {
            return new MySqlDialect();
        }
        if (url.startsWith("jdbc:sqlserver:")) {
            return new SqlServerDialect();
        }
        throw new IllegalArgumentException("no JDBC dialect for '" + jdbcUrl.replaceAll("password=[^;&]*", "password=******")
                + "' (supported: jdbc:postgresql, jdbc:mysql, jdbc:mariadb, jdbc:oceanbase, jdbc:sqlserver)");
    }
}
