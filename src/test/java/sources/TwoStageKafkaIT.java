package sources;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import testsupport.Dirs;
import testsupport.KafkaBroker;
import testsupport.MariaDb;
import testsupport.PipelineStatus;
import testsupport.Postgres;
import testsupport.TestServers;
import testsupport.TributaryJar;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A two-stage deployment in one Tributary, as Debezium + Kafka Connect's JDBC sink run it: pipeline A takes PostgreSQL's
 * changes to Kafka ({@code format: debezium}), pipeline B reads those topics back and applies them to MariaDB. The fat
 * JAR is killed with -9 while the writer runs and B is mid-stream; after the restart, the MariaDB tables equal the
 * PostgreSQL tables row by row (inserts, updates, deletes; a composite key; numeric, timestamptz, bytea, NULLs and
 * Chinese text typed into the target's own columns).
 */
class TwoStageKafkaIT {

    static final int ORDERS = 3_000;

    final Postgres pg = TestServers.postgres();
    final MariaDb maria = TestServers.mariadb();
    final String kafka = TestServers.kafka().bootstrap();

    @Test
    void postgresToKafkaToMariaDbEqualsTheSourceAcrossKillNine() throws Exception {
        pg.createDatabase("twosrc");
        pg.execute("twosrc",
                "CREATE TABLE orders (id int PRIMARY KEY, customer text NOT NULL, amount numeric(12,2), placed timestamptz, note text, data bytea)",
                "CREATE TABLE items (order_id int, line int, sku text NOT NULL, qty int NOT NULL, PRIMARY KEY (order_id, line))");
        for (int id = 1; id <= 200; id++) { // rows before the start: pipeline A's snapshot
            writeOrder(id);
        }
        maria.createDatabase("twodst");
        maria.execute("twodst",
                "CREATE TABLE orders (id INT PRIMARY KEY, customer VARCHAR(64) NOT NULL, amount DECIMAL(12,2), placed DATETIME(6), note TEXT, data BLOB)"
                        + " CHARACTER SET utf8mb4",
                "CREATE TABLE items (order_id INT, line INT, sku VARCHAR(32) NOT NULL, qty INT NOT NULL, PRIMARY KEY (order_id, line))");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka))) {
            admin.createTopics(List.of(new NewTopic("two.orders", 3, (short) 1), new NewTopic("two.items", 3, (short) 1))).all().get();
        }
        Path dir = Files.createTempDirectory("tributary-two-stage");
        Files.createDirectories(dir.resolve("pipelines"));
        Files.writeString(dir.resolve("pipelines/stage-a.yaml"), """
                pipeline: stage-a
                source: {type: postgres, host: localhost, port: %d, database: twosrc, user: %s, password: %s}
                objects: [{table: public.orders, topic: two.orders}, {table: public.items, topic: two.items}]
                format: debezium
                sink: {type: kafka, brokers: "%s"}
                """.formatted(pg.port(), Postgres.USER, Postgres.PASSWORD, kafka));
        Files.writeString(dir.resolve("pipelines/stage-b.yaml"), """
                pipeline: stage-b
                source: {type: kafka, brokers: "%s", topics: [two.orders, two.items], group: stage-b, format: debezium}
                objects: [{table: public.orders, target: orders}, {table: public.items, target: items}]
                sink: {type: jdbc, url: "%s", user: %s, password: %s}
                batch: {maxEvents: 500}
                """.formatted(kafka, maria.jdbcUrl("twodst"), MariaDb.USER, MariaDb.PASSWORD));
        int port = KafkaBroker.freePort();
        Process first = TributaryJar.start(dir, port, "two-stage-first").process;
        TributaryJar second = null;
        try {
            PipelineStatus.awaitRunning(port, "stage-a");
            PipelineStatus.awaitRunning(port, "stage-b");
            CompletableFuture<Void> writer = CompletableFuture.runAsync(this::workload);
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50)).until(() -> PipelineStatus.delivered(port, "stage-b") >= 2_000);
            first.destroyForcibly(); // SIGKILL: both pipelines stop wherever they are, offsets as last committed
            assertTrue(first.waitFor(60, TimeUnit.SECONDS));
            System.out.println("two-stage: killed with -9 after stage-b delivered >= 2,000 changes, writer "
                    + (writer.isDone() ? "done" : "still writing"));
            second = TributaryJar.start(dir, port, "two-stage-second");
            PipelineStatus.awaitRunning(port, "stage-b");
            writer.get(180, TimeUnit.SECONDS);
            List<String> sourceOrders;
            List<String> sourceItems;
            try (Connection c = pg.connect("twosrc")) {
                sourceOrders = testsupport.Rows.of(c, "SELECT id, customer, amount::text, to_char(placed AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US'),"
                        + " note, encode(data, 'hex') FROM orders ORDER BY id");
                sourceItems = testsupport.Rows.of(c, "SELECT order_id, line, sku, qty FROM items ORDER BY order_id, line");
            }
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() -> {
                try (Connection c = maria.connect("twodst")) {
                    return targetOrders(c).equals(sourceOrders) && testsupport.Rows.of(c, "SELECT order_id, line, sku, qty FROM items ORDER BY order_id, line").equals(sourceItems);
                }
            });
            try (Connection c = maria.connect("twodst")) {
                assertEquals(sourceOrders, targetOrders(c));
            }
            System.out.printf("two-stage PostgreSQL → Kafka (debezium) → MariaDB across kill -9: %d orders and %d items equal row by row;"
                    + " stage-b status %s%n", sourceOrders.size(), sourceItems.size(), PipelineStatus.status(port, "stage-b").get("events"));
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

    private static List<String> targetOrders(Connection c) throws Exception {
        return testsupport.Rows.of(c, "SELECT id, customer, CAST(amount AS CHAR), DATE_FORMAT(placed, '%Y-%m-%d %H:%i:%s.%f'), note, LOWER(HEX(data))"
                + " FROM orders ORDER BY id");
    }

    /** An order and its two items, one transaction. */
    private void writeOrder(int id) {
        try (Connection c = pg.connect("twosrc")) {
            c.setAutoCommit(false);
            try (PreparedStatement o = c.prepareStatement("INSERT INTO orders VALUES (?, ?, ?, now() - (? * interval '1 second'), ?, ?)");
                 PreparedStatement i = c.prepareStatement("INSERT INTO items VALUES (?, ?, ?, ?)")) {
                o.setInt(1, id);
                o.setString(2, id % 7 == 0 ? "客户 " + id : "customer " + id);
                o.setBigDecimal(3, id % 11 == 0 ? null : new java.math.BigDecimal(id + ".25"));
                o.setInt(4, id);
                o.setString(5, id % 3 == 0 ? null : "note " + id);
                o.setBytes(6, id % 5 == 0 ? null : new byte[]{(byte) id, 0, (byte) 0xff});
                o.executeUpdate();
                for (int line = 1; line <= 2; line++) {
                    i.setInt(1, id);
                    i.setInt(2, line);
                    i.setString(3, "sku-" + id + "-" + line);
                    i.setInt(4, line);
                    i.executeUpdate();
                }
            }
            c.commit();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** New orders; every 4th earlier order updated twice (its amount, then its note), every 5th loses an item. */
    private void workload() {
        try (Connection c = pg.connect("twosrc"); Statement st = c.createStatement()) {
            for (int id = 201; id <= ORDERS; id++) {
                writeOrder(id);
                if (id % 4 == 0) {
                    st.executeUpdate("UPDATE orders SET amount = amount + 1 WHERE id = " + (id - 100));
                    st.executeUpdate("UPDATE orders SET note = 'changed " + id + "' WHERE id = " + (id - 100));
                }
                if (id % 5 == 0) {
                    st.executeUpdate("DELETE FROM items WHERE order_id = " + (id - 50) + " AND line = 2");
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
