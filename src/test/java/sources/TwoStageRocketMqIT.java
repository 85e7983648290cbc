package sources;

import org.junit.jupiter.api.Test;
import testsupport.Dirs;
import testsupport.KafkaBroker;
import testsupport.MariaDb;
import testsupport.PipelineStatus;
import testsupport.Postgres;
import testsupport.RocketMqBroker;
import testsupport.TestServers;
import testsupport.TributaryJar;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The RocketMQ JDBC connector's two halves in one Tributary, in the formats its users run: PostgreSQL → RocketMQ in
 * {@code canal} and in {@code oms-default} (ordered, sharded by key), and each topic → MariaDB. The fat JAR is killed
 * with -9 while the writer writes and the loaders are mid-stream; after the restart both MariaDB copies equal the
 * PostgreSQL table row by row.
 */
class TwoStageRocketMqIT {

    static final int ROWS = 2_000;

    final Postgres pg = TestServers.postgres();
    final MariaDb maria = TestServers.mariadb();
    final RocketMqBroker mq = TestServers.rocketmq();

    @Test
    void postgresToRocketMqToMariaDbInCanalAndOmsEqualsTheSourceAcrossKillNine() throws Exception {
        pg.createDatabase("rqsrc");
        pg.execute("rqsrc", "CREATE TABLE accounts (id int PRIMARY KEY, owner text NOT NULL, balance numeric(14,2), opened timestamptz, since date)");
        Path dir = Files.createTempDirectory("tributary-two-stage-rocketmq");
        Files.createDirectories(dir.resolve("pipelines"));
        for (String format : List.of("canal", "oms-default")) {
            String name = format.replace("-default", "");
            String topic = "rq_" + name;
            mq.createTopic(topic, 4);
            maria.createDatabase("rqdst_" + name);
            maria.execute("rqdst_" + name, "CREATE TABLE accounts (id INT PRIMARY KEY, owner VARCHAR(64) NOT NULL, balance DECIMAL(14,2),"
                    + " opened DATETIME(6), since DATE) CHARACTER SET utf8mb4");
            Files.writeString(dir.resolve("pipelines/capture-" + name + ".yaml"), """
                    pipeline: capture-%s
                    source: {type: postgres, host: localhost, port: %d, database: rqsrc, user: %s, password: %s}
                    objects: [{table: public.accounts, topic: %s}]
                    format: %s
                    sink: {type: rocketmq, namesrv: "%s"}
                    """.formatted(name, pg.port(), Postgres.USER, Postgres.PASSWORD, topic, format, mq.namesrv()));
            Files.writeString(dir.resolve("pipelines/load-" + name + ".yaml"), """
                    pipeline: load-%s
                    source: {type: rocketmq, namesrv: "%s", topics: [%s], format: %s}
                    objects: [{table: public.accounts, target: accounts}]
                    sink: {type: jdbc, url: "%s", user: %s, password: %s}
                    batch: {maxEvents: 300}
                    """.formatted(name, mq.namesrv(), topic, format, maria.jdbcUrl("rqdst_" + name), MariaDb.USER, MariaDb.PASSWORD));
        }
        int port = KafkaBroker.freePort();
        Process first = TributaryJar.start(dir, port, "two-stage-rocketmq-first").process;
        TributaryJar second = null;
        try {
            for (String p : List.of("capture-canal", "capture-oms", "load-canal", "load-oms")) {
                PipelineStatus.awaitRunning(port, p);
            }
            String precheck = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create("http://localhost:" + port + "/api/pipelines/load-canal/precheck"))
                    .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(precheck.contains("\"passed\":true") && precheck.contains("rq_canal: 4 queues"), precheck);
            CompletableFuture<Void> writer = CompletableFuture.runAsync(this::workload);
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50)).until(() -> PipelineStatus.delivered(port, "load-canal") >= 800);
            first.destroyForcibly();
            assertTrue(first.waitFor(60, TimeUnit.SECONDS));
            System.out.printf("two-stage RocketMQ: killed with -9 after load-canal delivered >= 800 changes, writer %s%n",
                    writer.isDone() ? "done" : "still writing");
            second = TributaryJar.start(dir, port, "two-stage-rocketmq-second");
            writer.get(180, TimeUnit.SECONDS);
            List<String> source;
            try (Connection c = pg.connect("rqsrc")) {
                source = testsupport.Rows.of(c, "SELECT id, owner, balance::text, to_char(opened AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US'),"
                        + " since FROM accounts ORDER BY id");
            }
            for (String name : List.of("canal", "oms")) {
                await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() -> {
                    try (Connection c = maria.connect("rqdst_" + name)) {
                        return target(c).equals(source);
                    }
                });
                try (Connection c = maria.connect("rqdst_" + name)) {
                    assertEquals(source, target(c), name);
                }
            }
            System.out.printf("two-stage PostgreSQL → RocketMQ (canal, oms-default) → MariaDB across kill -9: %d rows equal row by row in"
                    + " both targets; load-canal %s, load-oms %s%n", source.size(), PipelineStatus.status(port, "load-canal").get("events"),
                    PipelineStatus.status(port, "load-oms").get("events"));
        } finally {
            first.destroyForcibly();
            if (second != null) {
                second.process.destroy();
                second.process.waitFor(30, TimeUnit.SECONDS);
                second.process.destroyForcibly();
            }
            Dirs.delete(dir);
        }
    }

    private static List<String> target(Connection c) throws Exception {
        return testsupport.Rows.of(c, "SELECT id, owner, CAST(balance AS CHAR), DATE_FORMAT(opened, '%Y-%m-%d %H:%i:%s.%f'), since"
                + " FROM accounts ORDER BY id");
    }

    /** Inserts in single-row transactions; every 3rd earlier row updated, every 10th deleted. */
    private void workload() {
        try (Connection c = pg.connect("rqsrc"); Statement st = c.createStatement();
             PreparedStatement insert = c.prepareStatement("INSERT INTO accounts VALUES (?, ?, ?, now(), date '2026-01-01' + ?)")) {
            for (int id = 1; id <= ROWS; id++) {
                insert.setInt(1, id);
                insert.setString(2, id % 6 == 0 ? "账户 " + id : "owner " + id);
                insert.setBigDecimal(3, id % 9 == 0 ? null : new java.math.BigDecimal(id + ".07"));
                insert.setInt(4, id % 400);
                insert.executeUpdate();
                if (id % 3 == 0 && id > 50) {
                    st.executeUpdate("UPDATE accounts SET balance = coalesce(balance, 0) + 10, owner = owner || '+' WHERE id = " + (id - 50));
                }
                if (id % 10 == 0 && id > 100) {
                    st.executeUpdate("DELETE FROM accounts WHERE id = " + (id - 100));
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
