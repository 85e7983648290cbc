package sources;

import config.SourceConfig;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A source that reads one database server's log through Debezium: where it is and who logs in. */
public interface DatabaseSourceConfig extends SourceConfig {

    String host();

    int port();

    /** The database (PostgreSQL, SQL Server); MySQL family: optional, the objects name {@code database.table}. */
    String database();

    String user();

    String password();

    /** A JDBC URL of the server, for its catalog and prechecks. */
    String jdbcUrl();

    /** MySQL family: an object's schema is a database (a JDBC catalog), elsewhere a JDBC schema. */
    default boolean catalogIsDatabase() {
        return false;
    }

    @Override
    default List<String> secrets() {
        return java.util.Collections.singletonList(password());
    }

    /** host, port, database, user: the part of {@link #describe()} every database source shows. */
    default Map<String, Object> server() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("host", host());
        m.put("port", port());
        m.put("database", database());
        m.put("user", user());
        return m;
    }
}
