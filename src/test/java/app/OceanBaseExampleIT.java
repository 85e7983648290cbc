package app;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.rocketmq.common.message.MessageExt;
import org.junit.jupiter.api.Test;
import testsupport.Json;
import testsupport.MariaDb;
import testsupport.OrderedQueueReader;
import testsupport.PipelineStatus;
import testsupport.RocketMqBroker;
import testsupport.RunningTributary;
import testsupport.TestServers;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code config/examples/oceanbase-to-rocketmq.yaml} as shipped, with MariaDB standing in for OceanBase (no OceanBase
 * server runs here: the source section is swapped for a MariaDB one, everything else is the example's): from its start
 * timestamp on, draft orders left out, each customer's orders on one queue in commit order, Canal JSON with the
 * transaction sequence and the business system id, message trace on.
 */
class OceanBaseExampleIT {

    @Test
    void theOceanBaseExampleRunsOnAMariaDbStandIn() throws Exception {
        MariaDb maria = TestServers.mariadb();
        RocketMqBroker mq = TestServers.rocketmq();
        maria.createDatabase("obshop");
        maria.execute("obshop", "CREATE TABLE orders (id INT PRIMARY KEY, customer_id INT NOT NULL, status VARCHAR(10) NOT NULL, amount DECIMAL(10,2))",
                "CREATE TABLE order_items (id INT PRIMARY KEY, order_id INT NOT NULL, qty INT NOT NULL)",
                "INSERT INTO orders VALUES (1, 1, 'paid', 1.00)", // before the start timestamp: not delivered
                // MariaDB has no GTID state at the start of a server's first binlog file: the instant lies in a later one
                "FLUSH BINARY LOGS");
        Thread.sleep(1_500); // binlog events carry whole seconds
        Instant start = Instant.now();
        Thread.sleep(1_500);
        mq.createTopic("shop_orders", 8);
        mq.createTopic("shop_order_items", 8);

        String example = Files.readString(Path.of("config/examples/oceanbase-to-rocketmq.yaml"), StandardCharsets.UTF_8);
        String source = example.substring(example.indexOf("source:"), example.indexOf("mode:"));
        String pipeline = example.replace(source, "source: {type: mariadb, host: 127.0.0.1, port: %d, user: %s, password: %s}\n"
                        .formatted(maria.port(), MariaDb.USER, MariaDb.PASSWORD))
                .replace("2026-11-22T08:00:00Z", start.toString())
                .replace("rmq-ns1:9876;rmq-ns2:9876", mq.namesrv())
                .replace("table: shop.", "table: obshop.");
        assertTrue(pipeline.contains("type: mariadb") && pipeline.contains(mq.namesrv()) && pipeline.contains("obshop.orders"), pipeline);

        for (int id = 2; id <= 11; id++) { // after the instant, before the pipeline starts
            maria.execute("obshop", "INSERT INTO orders VALUES (" + id + ", " + (id % 4) + ", '" + (id % 5 == 0 ? "draft" : "paid") + "', " + id + ".50)");
        }
        try (OrderedQueueReader orders = new OrderedQueueReader(mq.namesrv(), "shop_orders", "check_ob_orders");
             OrderedQueueReader items = new OrderedQueueReader(mq.namesrv(), "shop_order_items", "check_ob_items");
             RunningTributary t = new RunningTributary(pipeline)) {
            PipelineStatus.awaitRunning(t.port, "ob-orders");
            for (int id = 12; id <= 21; id++) {
                maria.execute("obshop", "INSERT INTO orders VALUES (" + id + ", " + (id % 4) + ", '" + (id % 5 == 0 ? "draft" : "paid") + "', " + id + ".50)",
                        "INSERT INTO order_items VALUES (" + id + ", " + (id % 3) + ", 1)");
            }
            maria.execute("obshop", "UPDATE orders SET status = 'shipped' WHERE id = 2");
            int expected = 20 - 4 + 1; // orders 2..21 without the four drafts, and the update
            await().atMost(Duration.ofSeconds(90)).until(() -> orders.received.size() >= expected && items.received.size() >= 10);
            // and nothing more comes
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10)).until(() -> orders.received.size() == expected);

            Map<Integer, Set<Integer>> queuesOfCustomer = new HashMap<>();
            Map<Integer, List<String>> changesOfCustomer = new HashMap<>();
            for (MessageExt m : orders.received) {
                JsonNode canal = Json.json(new String(m.getBody(), StandardCharsets.UTF_8));
                JsonNode row = canal.at("/data/0");
                assertFalse(row.path("status").asText().equals("draft"), "where: drafts left out " + canal);
                assertFalse(row.path("id").asText().equals("1"), "from the start timestamp on " + canal);
                assertEquals("SHOP01", canal.path("businessSystemId").asText());
                assertTrue(canal.path("transactionSequence").asLong() >= 1, canal.toString());
                assertEquals("obshop", canal.path("database").asText());
                int customer = row.path("customer_id").asInt();
                queuesOfCustomer.computeIfAbsent(customer, c -> new HashSet<>()).add(m.getQueueId());
                changesOfCustomer.computeIfAbsent(customer, c -> new ArrayList<>()).add(canal.path("type").asText() + row.path("id").asText());
            }
            queuesOfCustomer.forEach((customer, queues) -> assertEquals(1, queues.size(), "customer " + customer + " on one queue"));
            List<String> customer2 = changesOfCustomer.get(2);
            assertEquals(List.of("INSERT2", "INSERT6", "INSERT14", "INSERT18", "UPDATE2"), customer2, "commit order");
            for (MessageExt m : items.received) {
                JsonNode row = Json.json(new String(m.getBody(), StandardCharsets.UTF_8)).at("/data/0");
                assertEquals(Math.floorMod(("{\"order_id\":" + row.path("order_id").asInt() + "}").hashCode(), 8), m.getQueueId(),
                        "items sharded by order_id");
            }
        }
    }
}
