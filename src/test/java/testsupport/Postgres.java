package testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** A private PostgreSQL 15 with logical decoding (zonky embedded binaries, docs/design.md), on a free port. */
public final class Postgres implements AutoCloseable {

    public static final String USER = "postgres";
    public static final String PASSWORD = "postgres";

    private EmbeddedPostgres pg;
    /** Set for a server that can be restarted on its data (its own directory and port). */
    private final java.nio.file.Path dataDir;
    private final int fixedPort;

    public Postgres() {
        dataDir = null;
        fixedPort = 0;
        pg = start(builder());
    }

    /** A server of its own that {@link #restart()} stops and starts again on its data directory and port. */
    public static Postgres restartable() throws IOException {
        return new Postgres(java.nio.file.Files.createTempDirectory("tributary-pg"), KafkaBroker.freePort());
    }

    private Postgres(java.nio.file.Path dataDir, int port) {
        this.dataDir = dataDir;
        this.fixedPort = port;
        pg = start(onItsData());
    }

    private static EmbeddedPostgres.Builder builder() {
        return EmbeddedPostgres.builder()
                .setServerConfig("wal_level", "logical")
                .setServerConfig("max_wal_senders", "100")
                .setServerConfig("max_replication_slots", "100") // every test pipeline keeps its slot
                .setServerConfig("fsync", "off")
                .setServerConfig("synchronous_commit", "off");
    }

    private EmbeddedPostgres.Builder onItsData() {
        // a loaded machine (the whole suite on 2 cores) took longer than the default 10 s to start it again
        return builder().setDataDirectory(dataDir).setCleanDataDirectory(false).setPort(fixedPort).setPGStartupWait(java.time.Duration.ofSeconds(90));
    }

    private static EmbeddedPostgres start(EmbeddedPostgres.Builder builder) {
        try {
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the server (fast shutdown: every connection cut) and starts it on the same data and port. */
    public void restart() throws IOException {
        if (dataDir == null) {
            throw new IllegalStateException("the shared server cannot restart on its data: use Postgres.restartable()");
        }
        pg.close();
        awaitStopped();
        pg = start(onItsData());
    }

    /**
     * zonky's stop gives up after 5 s, but a fast shutdown waits for each walsender to send its last WAL: the old
     * postmaster may still hold the data directory. Wait for it to go; after 60 s, an immediate shutdown (SIGQUIT).
     */
    private void awaitStopped() throws IOException {
        java.nio.file.Path pidFile = dataDir.resolve("postmaster.pid");
        for (int attempt = 0; attempt < 2; attempt++) {
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
            while (java.nio.file.Files.exists(pidFile) && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while PostgreSQL stops", e);
                }
            }
            if (!java.nio.file.Files.exists(pidFile)) {
                return;
            }
            String pid = java.nio.file.Files.readAllLines(pidFile).get(0).trim();
            ProcessHandle.of(Long.parseLong(pid)).ifPresent(p -> {
                try {
                    new ProcessBuilder("kill", "-QUIT", pid).inheritIO().start().waitFor();
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException("cannot stop PostgreSQL " + pid, e);
                }
            });
        }
        throw new IOException("PostgreSQL did not stop: " + pidFile + " is still there");
    }

    public int port() {
        return pg.getPort();
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + port() + "/" + database;
    }

    public Connection connect(String database) throws SQLException {
        return pg.getDatabase(USER, database).getConnection();
    }

    /** Creates a fresh database (tests isolate themselves by database, not by server). */
    public void createDatabase(String name) throws SQLException {
        try (Connection c = connect("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        }
    }

    public void execute(String database, String... statements) throws SQLException {
        try (Connection c = connect(database); Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        }
    }

    @Override
    public void close() throws IOException {
        pg.close();
        if (dataDir != null) {
            Dirs.delete(dataDir);
        }
    }
}
