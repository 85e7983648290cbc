package sources.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** What the source's catalog says about its tables, asked before streaming starts. */
public final class PostgresTables {

    private final String jdbcUrl;
    private final String user;
    private final String password;

    public PostgresTables(String host, int port, String database, String user, String password) {
        this.jdbcUrl = "jdbc:postgresql://" + host + ":" + port + "/" + database;
        this.user = user;
        this.password = password;
    }

    /**
     * Creates the publication {@code FOR TABLES IN SCHEMA …} unless it exists (PostgreSQL 15+; creating one needs a
     * superuser). Such a publication covers tables created later — a dropped and re-created table goes on flowing.
     */
    public void ensureSchemaPublication(String publication, List<String> schemas) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password)) {
            try (java.sql.PreparedStatement st = c.prepareStatement("SELECT 1 FROM pg_publication WHERE pubname = ?")) {
                st.setString(1, publication);
                try (ResultSet rs = st.executeQuery()) {
                    if (rs.next()) {
                        return;
                    }
                }
            }
            try (Statement st = c.createStatement()) {
                st.execute("CREATE PUBLICATION \"" + publication + "\" FOR TABLES IN SCHEMA "
                        + String.join(", ", schemas.stream().map(s -> "\"" + s.replace("\"", "\"\"") + "\"").toList()));
            }
        }
    }

    /**
     * The ordinary and partitioned tables, as {@code schema.table}, that one of the patterns matches and that have no
     * primary key. The patterns are Debezium's {@code table.include.list} regexes (whole name, any case).
     */
    public List<String> withoutPrimaryKey(List<Pattern> include) throws SQLException {
        String sql = """
                SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
                  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conrelid = c.oid AND k.contype = 'p')
                ORDER BY 1""";
        List<String> tables = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                String name = rs.getString(1);
                if (include.stream().anyMatch(p -> p.matcher(name).matches())) {
                    tables.add(name);
                }
            }
        }
        return tables;
    }

    /**
     * Drops a deleted PostgreSQL pipeline's replication slot (which would otherwise hold WAL for ever); returns the slot
     * dropped, or null when there was none.
     */
    static String dropSlot(PostgresSourceConfig source) throws java.sql.SQLException {
        PostgresTables db = new PostgresTables(source.host(), source.port(), source.database(), source.user(), source.password());
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(db.jdbcUrl, db.user, db.password);
             java.sql.PreparedStatement drop = c.prepareStatement(
                     "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = ?")) {
            drop.setString(1, source.slot());
            try (java.sql.ResultSet rs = drop.executeQuery()) {
                return rs.next() ? source.slot() : null;
            }
        }
    }

    /**
     * Drops the slot when it exists and no connection holds it; whether it did. A snapshot is about to be taken and
     * nothing was committed after one: only a slot created in the same step exports the snapshot its consistent point
     * matches. Read later, at another point, snapshot and stream overlap — or miss a transaction committed between
     * the snapshot's start and the position read for it.
     */
    static boolean dropIdleSlot(Connection c, String slot) throws SQLException {
        try (java.sql.PreparedStatement st = c.prepareStatement("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
                + " WHERE slot_name = ? AND NOT active AND database = current_database() AND plugin = 'pgoutput'")) {
            st.setString(1, slot);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** {@link #dropIdleSlot(Connection, String)} on a connection of its own. */
    boolean dropIdleSlot(String slot) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password)) {
            return dropIdleSlot(c, slot);
        }
    }

    /**
     * Ends the server connection that holds the pipeline's slot, if one does, and waits until the slot is free (at most
     * 30 s). Only a cluster's new owner calls this: the holder is a previous owner that lost the pipeline.
     */
    static void takeOverSlot(PostgresSourceConfig source) throws Exception {
        PostgresTables db = new PostgresTables(source.host(), source.port(), source.database(), source.user(), source.password());
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(db.jdbcUrl, db.user, db.password)) {
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (true) {
                Integer pid = null;
                try (java.sql.PreparedStatement st = c.prepareStatement("SELECT active_pid FROM pg_replication_slots WHERE slot_name = ? AND active")) {
                    st.setString(1, source.slot());
                    try (java.sql.ResultSet rs = st.executeQuery()) {
                        if (rs.next()) {
                            pid = rs.getInt(1);
                        }
                    }
                }
                if (pid == null) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("slot " + source.slot() + " is still held by server process " + pid);
                }
                org.slf4j.LoggerFactory.getLogger(PostgresTables.class).warn(
                        "slot {} held by server process {} (a previous owner's connection): ended", source.slot(), pid);
                try (java.sql.PreparedStatement st = c.prepareStatement("SELECT pg_terminate_backend(?)")) {
                    st.setInt(1, pid);
                    st.execute();
                }
                Thread.sleep(200);
            }
        }
    }
}
