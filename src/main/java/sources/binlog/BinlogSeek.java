package sources.binlog;

import com.github.shyiko.mysql.binlog.BinaryLogClient;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Finds where in a MySQL-family binlog a start timestamp falls: the newest binlog file that began at or before it
 * (a file's first real event — its format description — carries the time the file was started). Debezium cannot seek
 * by time; this is the piece it lacks, written with the binlog client Debezium itself uses.
 */
public final class BinlogSeek {

    private final String host;
    private final int port;
    private final String user;
    private final String password;
    private final long serverId;

    /** @param serverId a replica id for the short look at each file (not the pipeline's own, which may be streaming) */
    public BinlogSeek(String host, int port, String user, String password, long serverId) {
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
        this.serverId = serverId;
    }

    /** The server's current binlog file and position ({@code SHOW MASTER STATUS}; MySQL 8.4+: {@code SHOW BINARY LOG STATUS}). */
    public Map.Entry<String, Long> current() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:mariadb://" + host + ":" + port + "/", user, password);
             Statement st = c.createStatement()) {
            ResultSet status;
            try {
                status = st.executeQuery("SHOW MASTER STATUS");
            } catch (SQLException renamed) {
                status = st.executeQuery("SHOW BINARY LOG STATUS");
            }
            try (ResultSet rs = status) {
                if (!rs.next()) {
                    throw new IllegalStateException("the server reports no binary log position (is log_bin on?)");
                }
                return Map.entry(rs.getString(1), rs.getLong(2));
            }
        }
    }

    /** MariaDB: the GTID position at a binlog file and position ({@code BINLOG_GTID_POS}). */
    public String mariaDbGtidsAt(String file, long pos) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:mariadb://" + host + ":" + port + "/", user, password);
             java.sql.PreparedStatement st = c.prepareStatement("SELECT BINLOG_GTID_POS(?, ?)")) {
            st.setString(1, file);
            st.setLong(2, pos);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getString(1) == null ? "" : rs.getString(1);
            }
        }
    }

    /**
     * The binlog file to start reading at so that no change committed at or after {@code at} is missed.
     *
     * @throws IllegalStateException when the oldest binlog the server keeps began after {@code at}
     */
    public String fileFor(Instant at) throws Exception {
        List<String> files = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:mariadb://" + host + ":" + port + "/", user, password);
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW BINARY LOGS")) {
            while (rs.next()) {
                files.add(rs.getString(1));
            }
        }
        if (files.isEmpty()) {
            throw new IllegalStateException("the server keeps no binary logs (is log_bin on?)");
        }
        for (int i = files.size() - 1; i >= 0; i--) {
            Instant started = startOf(files.get(i));
            if (!started.isAfter(at)) {
                return files.get(i);
            }
            if (i == 0) {
                throw new IllegalStateException("startTimestamp " + at + " is before the oldest binary log the server keeps ("
                        + files.get(0) + ", started " + started + "): the changes before it are gone");
            }
        }
        throw new IllegalStateException("unreachable");
    }

    /**
     * MariaDB: the GTID position at the start of a binlog file ({@code BINLOG_GTID_POS}) — Debezium's MariaDB connector
     * resumes from GTIDs, not from a file and position.
     */
    public String mariaDbGtidsAt(String file) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:mariadb://" + host + ":" + port + "/", user, password);
             java.sql.PreparedStatement st = c.prepareStatement("SELECT BINLOG_GTID_POS(?, 4)")) {
            st.setString(1, file);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getString(1) == null ? "" : rs.getString(1);
            }
        }
    }

    /** The time a binlog file was started: the timestamp of its first event that has one. */
    Instant startOf(String file) throws IOException, SQLException {
        BinaryLogClient client = new BinaryLogClient(host, port, user, password);
        client.setServerId(serverId);
        client.setBinlogFilename(file);
        client.setBinlogPosition(4);
        client.setKeepAlive(false);
        CompletableFuture<Long> timestamp = new CompletableFuture<>();
        client.registerEventListener(event -> {
            if (event.getHeader().getTimestamp() > 0) {
                timestamp.complete(event.getHeader().getTimestamp());
            }
        });
        try {
            client.connect(10_000);
            return Instant.ofEpochMilli(timestamp.get(10, TimeUnit.SECONDS));
        } catch (Exception e) {
            throw new IOException("cannot read the start of binary log " + file + ": " + e.getMessage(), e);
        } finally {
            client.disconnect();
        }
    }
}
