package testsupport;

/**
 * The servers of one test JVM, started on first use and stopped when the JVM ends. Tests isolate themselves by
 * database, pipeline and topic names, so one PostgreSQL and one Kafka serve them all.
 */
public final class TestServers {

    private static Postgres postgres;
    private static KafkaBroker kafka;
    private static RocketMqBroker rocketmq;
    private static Hdfs hdfs;
    private static MariaDb mariadb;

    private TestServers() {
    }

    public static synchronized Postgres postgres() {
        if (postgres == null) {
            postgres = new Postgres();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (Exception ignored) {
                    // the JVM is ending
                }
            }));
        }
        return postgres;
    }

    /** Shared by the tests of a JVM; a test that stops the broker must start it again before it ends. */
    public static synchronized RocketMqBroker rocketmq() {
        if (rocketmq == null) {
            try {
                rocketmq = new RocketMqBroker();
            } catch (Exception e) {
                throw new IllegalStateException("cannot start the test RocketMQ broker", e);
            }
        }
        return rocketmq;
    }

    /** One MariaDB 11.4 with a row-based binlog: a source for some tests, a JDBC target for others. */
    public static synchronized MariaDb mariadb() {
        if (mariadb == null) {
            try {
                mariadb = new MariaDb();
            } catch (Exception e) {
                throw new IllegalStateException("cannot start the test MariaDB", e);
            }
            MariaDb started = mariadb;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (Exception ignored) {
                    // the JVM is ending
                }
            }));
        }
        return mariadb;
    }

    public static synchronized Hdfs hdfs() {
        if (hdfs == null) {
            try {
                hdfs = new Hdfs();
            } catch (Exception e) {
                throw new IllegalStateException("cannot start the test HDFS", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(hdfs::close));
        }
        return hdfs;
    }

    public static synchronized KafkaBroker kafka() {
        if (kafka == null) {
            try {
                kafka = new KafkaBroker();
            } catch (Exception e) {
                throw new IllegalStateException("cannot start the test Kafka broker", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(kafka::close));
        }
        return kafka;
    }
}
