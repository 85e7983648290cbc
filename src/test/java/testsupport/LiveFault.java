package testsupport;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A fault injected while a pipeline runs (a server away, a connection cut); {@link #inject} returns when it is over. */
public interface LiveFault {

    String label();

    void inject() throws Exception;

    static LiveFault of(String label, ThrowingRunnable action) {
        return new LiveFault() {
            public String label() {
                return label;
            }

            public void inject() throws Exception {
                action.run();
            }
        };
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** The Kafka broker stopped for {@code d}, then started on its data. */
    static LiveFault kafkaOutage(KafkaBroker kafka, Duration d) {
        return of("Kafka broker away " + d.toSeconds() + " s", () -> {
            kafka.stop();
            Thread.sleep(d.toMillis());
            kafka.start();
        });
    }

    /** The RocketMQ broker stopped for {@code d}, then started on its store. */
    static LiveFault rocketMqOutage(RocketMqBroker mq, Duration d) {
        return of("RocketMQ broker away " + d.toSeconds() + " s", () -> {
            mq.stop();
            Thread.sleep(d.toMillis());
            mq.start();
        });
    }

    /** The replication connection of every walsender of a database terminated ({@code pg_terminate_backend}). */
    static LiveFault pgTerminateWalsender(Postgres pg, String database) {
        return of("pg_terminate_backend(walsender)", () -> {
            try (Connection c = pg.connect(database); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                         + " WHERE backend_type = 'walsender' AND datname = '" + database + "'")) {
                rs.next();
                if (rs.getInt(1) == 0) {
                    throw new IllegalStateException("no walsender of " + database + " to terminate");
                }
            }
        });
    }

    /** Every binlog client's connection killed on the server ({@code KILL} of each "Binlog Dump" thread). */
    static LiveFault mariaDbKillBinlogClients(MariaDb maria) {
        return of("binlog client killed", () -> {
            List<Long> ids = new ArrayList<>();
            try (Connection c = maria.connect("mysql"); Statement st = c.createStatement()) {
                try (ResultSet rs = st.executeQuery("SHOW PROCESSLIST")) {
                    while (rs.next()) {
                        if (rs.getString("Command").startsWith("Binlog Dump")) {
                            ids.add(rs.getLong("Id"));
                        }
                    }
                }
                for (long id : ids) {
                    st.execute("KILL " + id);
                }
            }
            if (ids.isEmpty()) {
                throw new IllegalStateException("no binlog client to kill");
            }
        });
    }

    /** The PostgreSQL server stopped (fast shutdown) and started on its data; the replication slot outlives it. */
    static LiveFault postgresRestart(Postgres pg) {
        return of("PostgreSQL restarted", pg::restart);
    }

    /** The HDFS data node restarted: open files' write pipelines break, clients must recover them. */
    static LiveFault hdfsDataNodeRestart(Hdfs hdfs) {
        return of("HDFS DataNode restarted", hdfs::restartDataNode);
    }

    /** The HDFS name node restarted: every call fails until it is back and out of safe mode. */
    static LiveFault hdfsNameNodeRestart(Hdfs hdfs) {
        return of("HDFS NameNode restarted", hdfs::restartNameNode);
    }

    /** The MariaDB server restarted on its data (sources and targets on it lose their connections). */
    static LiveFault mariaDbRestart(MariaDb maria) {
        return of("MariaDB restarted", maria::restart);
    }

    /** No byte between Tributary and the server for {@code d} (connections stay open). */
    static LiveFault blackhole(TcpProxy proxy, Duration d) {
        return of("network blackhole " + d.toSeconds() + " s", () -> proxy.blackhole(d.toMillis()));
    }

    /** Every connection between Tributary and the server reset. */
    static LiveFault connectionReset(TcpProxy proxy) {
        return of("connections reset", proxy::reset);
    }

    /** {@code delay} added to every chunk either way for {@code d}. */
    static LiveFault latency(TcpProxy proxy, Duration delay, Duration d) {
        return of(delay.toMillis() + " ms latency for " + d.toSeconds() + " s", () -> proxy.latency(delay.toMillis(), d.toMillis()));
    }
}
