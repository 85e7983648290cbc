package app;

import org.junit.jupiter.api.Test;
import testsupport.Dirs;
import testsupport.KafkaBroker;
import testsupport.MariaDb;
import testsupport.PipelineStatus;
import testsupport.RocketMqBroker;
import testsupport.Rows;
import testsupport.TestServers;
import testsupport.TributaryJar;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The RocketMQ JDBC connector's two halves as the examples ship them, in one fat JAR: {@code jdbc-polling-to-rocketmq.yaml}
 * polls a MariaDB table into RocketMQ (json-row), {@code rocketmq-to-jdbc.yaml} applies that topic to another MariaDB
 * database (hosts and credentials swapped for the test servers', everything else the examples'). New rows and rows
 * changed later (their last-modified column moved on) arrive, and the copy equals the table row by row.
 */
class RocketMqConnectExamplesIT {

    @Test
    void thePollingHalfAndTheApplyingHalfCopyATable() throws Exception {
        MariaDb maria = TestServers.mariadb();
        RocketMqBroker mq = TestServers.rocketmq();
        maria.createDatabase("erp");
        maria.createDatabase("erp_copy");
        String table = "CREATE TABLE orders (id INT PRIMARY KEY, customer VARCHAR(40) NOT NULL, amount DECIMAL(10,2),"
                + " updated_at DATETIME(6) NOT NULL) CHARACTER SET utf8mb4";
        maria.execute("erp", table);
        maria.execute("erp_copy", table);
        mq.createTopic("erp_orders", 4);
        Path dir = Files.createTempDirectory("tributary-rocketmq-connect");
        Files.createDirectories(dir.resolve("pipelines"));
        String polling = Files.readString(Path.of("config/examples/jdbc-polling-to-rocketmq.yaml"), StandardCharsets.UTF_8)
                .replace("jdbc:mariadb://legacy-db:3306/erp", maria.jdbcUrl("erp"))
                .replace("user: reader", "user: " + MariaDb.USER)
                .replace("\"${env:ERP_DB_PASSWORD}\"", MariaDb.PASSWORD)
                .replace("rmq-ns1:9876", mq.namesrv());
        String applying = Files.readString(Path.of("config/examples/rocketmq-to-jdbc.yaml"), StandardCharsets.UTF_8)
                .replace("rmq-ns1:9876;rmq-ns2:9876", mq.namesrv())
                .replace("jdbc:mysql://report-db:3306/erp_copy", maria.jdbcUrl("erp_copy"))
                .replace("user: loader", "user: " + MariaDb.USER)
                .replace("\"${env:REPORT_DB_PASSWORD}\"", MariaDb.PASSWORD);
        Files.writeString(dir.resolve("pipelines/polling.yaml"), polling);
        Files.writeString(dir.resolve("pipelines/applying.yaml"), applying);
        int port = KafkaBroker.freePort();
        TributaryJar jar = TributaryJar.start(dir, port, "rocketmq-connect-examples");
        try {
            PipelineStatus.awaitRunning(port, "legacy-orders");
            PipelineStatus.awaitRunning(port, "orders-apply");
            for (int id = 1; id <= 300; id++) {
                maria.execute("erp", "INSERT INTO orders VALUES (" + id + ", '" + (id % 5 == 0 ? "客户 " : "customer ") + id + "', "
                        + (id % 7 == 0 ? "NULL" : id + ".50") + ", NOW(6))");
            }
            Thread.sleep(1_100); // the polled column's next value lies in a later instant than every insert's
            maria.execute("erp", "UPDATE orders SET amount = 9.99, updated_at = NOW(6) WHERE id <= 40");
            List<String> source;
            String query = "SELECT id, customer, amount, DATE_FORMAT(updated_at, '%Y-%m-%d %H:%i:%s.%f') FROM orders ORDER BY id";
            try (Connection c = maria.connect("erp")) {
                source = Rows.of(c, query);
            }
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() -> {
                try (Connection c = maria.connect("erp_copy")) {
                    return Rows.of(c, query).equals(source);
                }
            });
            try (Connection c = maria.connect("erp_copy")) {
                assertEquals(source, Rows.of(c, query));
            }
            System.out.printf("RocketMQ Connect's two halves from the examples: %d rows polled into RocketMQ and applied to the copy,"
                    + " equal row by row; orders-apply %s%n", source.size(), PipelineStatus.status(port, "orders-apply").get("events"));
        } finally {
            jar.process.destroy();
            jar.process.waitFor(30, TimeUnit.SECONDS);
            jar.process.destroyForcibly();
            Dirs.delete(dir);
        }
    }
}
