package cluster;

import state.IdleTransactions;
import state.StaleOwnerException;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The cluster's shared state in one JDBC database (PostgreSQL or MySQL/MariaDB): the pipeline definitions, who owns
 * each pipeline under which epoch, each pipeline's state files (source offsets, watermarks, a sink's open parts), and
 * the nodes' REST addresses. Tables are created when missing.
 * <p>
 * Fencing lives here: a claim raises the pipeline's epoch in its own transaction, and every state write updates the
 * owner row <em>under the writer's epoch</em> in the same transaction as the write — the row lock orders a claim and
 * a write, and a write from an older epoch finds no row and is refused ({@link StaleOwnerException}). Hand-written:
 * Debezium's JDBC offset store keeps offsets per engine but has no notion of an owner or an epoch.
 */
public final class StateDatabase implements AutoCloseable {

    /** A pipeline's owner: node, epoch (raised by every claim) and the claim's time. */
    public record Owner(String pipeline, String node, long epoch, long sinceMs) {
    }

    /** A pipeline definition as stored: its text and a version raised by every change; {@code stopped} by an operator. */
    public record Definition(String name, String text, long version, boolean stopped) {
    }

    private final String url;
    private final Properties credentials = new Properties();
    private final String blobType;
    private Connection connection;
    private final StateFiles files = new StateFiles(this);
    private final long idleLimitMs;

    public StateDatabase(String url, String user, String password) throws SQLException {
        this(url, user, password, 5_000);
    }

    /** @param idleLimitMs how long a transaction of this node may idle before the server ends it ({@link IdleTransactions}) */
    public StateDatabase(String url, String user, String password, long idleLimitMs) throws SQLException {
        this.url = url;
        this.idleLimitMs = idleLimitMs;
        if (user != null) {
            credentials.setProperty("user", user);
        }
        if (password != null) {
            credentials.setProperty("password", password);
        }
        this.blobType = createStateTable();
        createTables();
    }

    /** The state files' table, with the first binary type the database knows (no product names: any JDBC database may serve). */
    private String createStateTable() throws SQLException {
        SQLException refused = null;
        for (String blob : List.of("BYTEA", "LONGBLOB", "BLOB")) {
            try {
                execute("CREATE TABLE IF NOT EXISTS tributary_state (pipeline VARCHAR(200) NOT NULL, file VARCHAR(400) NOT NULL,"
                        + " content " + blob + " NOT NULL, epoch BIGINT NOT NULL, PRIMARY KEY (pipeline, file))");
                // appended files (the snapshot ledger, dead letters): one row per append, concatenated in seq order
                execute("CREATE TABLE IF NOT EXISTS tributary_state_appends (pipeline VARCHAR(200) NOT NULL, file VARCHAR(400) NOT NULL,"
                        + " seq BIGINT NOT NULL, content " + blob + " NOT NULL, epoch BIGINT NOT NULL, PRIMARY KEY (pipeline, file, seq))");
                return blob;
            } catch (SQLException e) {
                refused = e;
            }
        }
        throw refused;
    }

    private void execute(String ddl) throws SQLException {
        inTransaction(c -> {
            try (Statement st = c.createStatement()) {
                st.execute(ddl);
            }
            return null;
        });
    }

    private void createTables() throws SQLException {
        String text = blobType.equals("BYTEA") ? "TEXT" : blobType.equals("LONGBLOB") ? "LONGTEXT" : "CLOB";
        for (String ddl : List.of(
                "CREATE TABLE IF NOT EXISTS tributary_pipelines (name VARCHAR(200) PRIMARY KEY, definition " + text
                        + " NOT NULL, version BIGINT NOT NULL, stopped BOOLEAN NOT NULL)",
                "CREATE TABLE IF NOT EXISTS tributary_owners (pipeline VARCHAR(200) PRIMARY KEY, node VARCHAR(200) NOT NULL,"
                        + " epoch BIGINT NOT NULL, since_ms BIGINT NOT NULL)",
                "CREATE TABLE IF NOT EXISTS tributary_nodes (node VARCHAR(200) PRIMARY KEY, url VARCHAR(400) NOT NULL, seen_ms BIGINT NOT NULL)")) {
            execute(ddl);
        }
    }

    // ---- definitions ----

    public synchronized List<Definition> definitions() throws SQLException {
        return inTransaction(c -> {
            List<Definition> all = new ArrayList<>();
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT name, definition, version, stopped FROM tributary_pipelines ORDER BY name")) {
                while (rs.next()) {
                    all.add(new Definition(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getBoolean(4)));
                }
            }
            return all;
        });
    }

    /** Adds a definition; false when one of that name exists. */
    public synchronized boolean insertDefinition(String name, String text) throws SQLException {
        return inTransaction(c -> {
            if (exists(c, "SELECT 1 FROM tributary_pipelines WHERE name = ?", name)) {
                return false;
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO tributary_pipelines (name, definition, version, stopped) VALUES (?, ?, 1, ?)")) {
                ps.setString(1, name);
                ps.setString(2, text);
                ps.setBoolean(3, false);
                ps.executeUpdate();
            }
            return true;
        });
    }

    public synchronized void updateDefinition(String name, String text) throws SQLException {
        update("UPDATE tributary_pipelines SET definition = ?, version = version + 1 WHERE name = ?", text, name);
    }

    /** Marks a pipeline stopped (or not) by an operator: the owner, whichever node, leaves it stopped. */
    public synchronized void setStopped(String name, boolean stopped) throws SQLException {
        inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE tributary_pipelines SET stopped = ?, version = version + 1 WHERE name = ?")) {
                ps.setBoolean(1, stopped);
                ps.setString(2, name);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Removes a definition; its state (offsets) and owner row stay, so a re-creation resumes. */
    public synchronized void deleteDefinition(String name) throws SQLException {
        update("DELETE FROM tributary_pipelines WHERE name = ?", name);
    }

    // ---- owners and epochs ----

    /** Makes {@code node} the pipeline's owner under a new epoch; the epoch. Every write of an older epoch is refused from now on. */
    public synchronized long claim(String pipeline, String node) throws SQLException {
        return inTransaction(c -> {
            long now = System.currentTimeMillis();
            int rows;
            try (PreparedStatement ps = c.prepareStatement("UPDATE tributary_owners SET node = ?, epoch = epoch + 1, since_ms = ? WHERE pipeline = ?")) {
                ps.setString(1, node);
                ps.setLong(2, now);
                ps.setString(3, pipeline);
                rows = ps.executeUpdate();
            }
            if (rows == 0) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO tributary_owners (pipeline, node, epoch, since_ms) VALUES (?, ?, 1, ?)")) {
                    ps.setString(1, pipeline);
                    ps.setString(2, node);
                    ps.setLong(3, now);
                    ps.executeUpdate();
                }
            }
            return owner(c, pipeline).orElseThrow().epoch();
        });
    }

    public synchronized Optional<Owner> owner(String pipeline) throws SQLException {
        return inTransaction(c -> owner(c, pipeline));
    }

    public synchronized Map<String, Owner> owners() throws SQLException {
        return inTransaction(c -> {
            Map<String, Owner> all = new LinkedHashMap<>();
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT pipeline, node, epoch, since_ms FROM tributary_owners ORDER BY pipeline")) {
                while (rs.next()) {
                    all.put(rs.getString(1), new Owner(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4)));
                }
            }
            return all;
        });
    }

    static Optional<Owner> owner(Connection c, String pipeline) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT node, epoch, since_ms FROM tributary_owners WHERE pipeline = ?")) {
            ps.setString(1, pipeline);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Owner(pipeline, rs.getString(1), rs.getLong(2), rs.getLong(3))) : Optional.empty();
            }
        }
    }

    /** Throws {@link StaleOwnerException} unless the pipeline is still owned under {@code epoch}. */
    public synchronized void checkEpoch(String pipeline, long epoch) throws IOException {
        try {
            long current = inTransaction(c -> owner(c, pipeline).map(Owner::epoch).orElse(0L));
            if (current != epoch) {
                throw new StaleOwnerException(pipeline, epoch, current);
            }
        } catch (SQLException e) {
            throw new IOException("state database: " + e.getMessage(), e);
        }
    }

    // ---- nodes ----

    public synchronized void announce(String node, String restUrl) throws SQLException {
        inTransaction(c -> {
            long now = System.currentTimeMillis();
            try (PreparedStatement ps = c.prepareStatement("UPDATE tributary_nodes SET url = ?, seen_ms = ? WHERE node = ?")) {
                ps.setString(1, restUrl);
                ps.setLong(2, now);
                ps.setString(3, node);
                if (ps.executeUpdate() > 0) {
                    return null;
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO tributary_nodes (node, url, seen_ms) VALUES (?, ?, ?)")) {
                ps.setString(1, node);
                ps.setString(2, restUrl);
                ps.setLong(3, now);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Every node that ever announced itself, with its REST address. */
    public synchronized Map<String, String> nodeUrls() throws SQLException {
        return inTransaction(c -> {
            Map<String, String> all = new LinkedHashMap<>();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT node, url FROM tributary_nodes ORDER BY node")) {
                while (rs.next()) {
                    all.put(rs.getString(1), rs.getString(2));
                }
            }
            return all;
        });
    }

    // ---- plumbing ----

    private void update(String sql, String... values) throws SQLException {
        inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < values.length; i++) {
                    ps.setString(i + 1, values[i]);
                }
                ps.executeUpdate();
            }
            return null;
        });
    }

    private static boolean exists(Connection c, String sql, String value) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, value);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The pipelines' state files (source offsets, schema history, the snapshot ledger...), fenced by the epoch. */
    public StateFiles stateFiles() {
        return files;
    }

    /** How long a transaction may idle before the server ends it: also asked of the JDBC sink's connection in cluster mode. */
    public long idleLimitMs() {
        return idleLimitMs;
    }

    /** One transaction on the shared connection, taken in turn with every other call on this database. */
    synchronized <T> T transaction(Work<T> work) throws SQLException {
        return inTransaction(work);
    }

    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** One transaction on the shared connection; a broken connection is opened again once before giving up. */
    private <T> T inTransaction(Work<T> work) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            Connection c = connection();
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException e) {
                try {
                    c.rollback();
                } catch (SQLException ignored) {
                    // the connection is gone; it is replaced below
                }
                if (attempt >= 2 || c.isValid(2)) {
                    throw e;
                }
                close();
            }
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null || connection.isClosed()) {
            DriverManager.setLoginTimeout(10);
            connection = DriverManager.getConnection(url, credentials);
            IdleTransactions.limit(connection, idleLimitMs);
            connection.setAutoCommit(false);
        }
        return connection;
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // closing a broken connection
            }
            connection = null;
        }
    }
}
