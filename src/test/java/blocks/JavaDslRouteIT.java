package blocks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import examples.routes.OrdersToQueueAndFiles;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.rocketmq.common.message.MessageExt;
import org.junit.jupiter.api.Test;
import testsupport.Hdfs;
import testsupport.OrderedQueueReader;
import testsupport.PartFiles;
import testsupport.Postgres;
import testsupport.RocketMqBroker;
import testsupport.TestServers;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java DSL example ({@code examples.routes.OrdersToQueueAndFiles}) in a Camel context of its own: the where and
 * columns beans, the ordered RocketMQ producer and the HDFS producer as endpoints, the shared retry policy by id.
 */
class JavaDslRouteIT {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void paidOrdersReachRocketMqInOrderPerCustomerAndHdfsAsPartFiles() throws Exception {
        Postgres pg = TestServers.postgres();
        RocketMqBroker mq = TestServers.rocketmq();
        Hdfs hdfs = TestServers.hdfs();
        mq.createTopic("java_orders", 4, true);
        pg.createDatabase("javadsl");
        pg.execute("javadsl", "CREATE TABLE orders (id int PRIMARY KEY, customer_id int NOT NULL, status text NOT NULL, amount numeric(10,2), note text)",
                "INSERT INTO orders SELECT g, 1 + g % 7, CASE WHEN g % 4 = 0 THEN 'open' ELSE 'paid' END, g, 'n' FROM generate_series(1, 100) g");
        Path data = Files.createTempDirectory("tributary-javadsl");
        String source = "databaseHostname=localhost&databasePort=" + pg.port() + "&databaseDbname=javadsl&databaseUser=postgres"
                + "&databasePassword=pw&topicPrefix=java-orders&pluginName=pgoutput&slotName=java_orders&publicationName=java_orders"
                + "&publicationAutocreateMode=filtered&tableIncludeList=public.orders&snapshotMode=initial&columnPropagateSourceType=.*"
                + "&offsetStorageFileName=" + data.resolve("offsets.dat");
        try (OrderedQueueReader reader = new OrderedQueueReader(mq.namesrv(), "java_orders", "check_java_orders");
             DefaultCamelContext camel = new DefaultCamelContext()) {
            BuildingBlocks.bindTo(camel.getRegistry());
            camel.addRoutes(new RetryPolicy());
            camel.addRoutes(new OrdersToQueueAndFiles(source, mq.namesrv(), hdfs.uri(), data.toString()));
            camel.start();

            await().atMost(Duration.ofSeconds(90)).until(() -> reader.received.size() >= 75);
            pg.execute("javadsl", "UPDATE orders SET amount = amount + 1000 WHERE customer_id = 3",
                    "UPDATE orders SET status = 'open' WHERE id = 1", "INSERT INTO orders VALUES (101, 3, 'paid', 5, 'x')");
            int paidOfCustomer3 = 11; // ids 2, 9, 16, ... with status paid (id % 4 <> 0, customer 3 = id % 7 == 2), before the changes
            await().atMost(Duration.ofSeconds(60)).until(() -> reader.received.size() >= 75 + paidOfCustomer3 + 2);

            // per customer, one queue, in commit order: the 1000-raise of each order comes after its snapshot row
            Map<String, Integer> queueOf = new HashMap<>();
            for (MessageExt m : reader.received) {
                JsonNode canal = JSON.readTree(new String(m.getBody(), StandardCharsets.UTF_8));
                JsonNode row = canal.get("data").get(0);
                if ("DELETE".equals(canal.get("type").asText())) {
                    // a row that left the filter (order 1), or whose old state the key-only replica identity cannot
                    // show (an update of an open order): a delete with the key only, never a row kept that left
                    assertEquals(List.of("id"), fieldNames(row));
                    continue;
                }
                assertEquals(List.of("id", "customer_id", "amount"), fieldNames(row), "only the selected columns");
                Integer earlier = queueOf.putIfAbsent(row.get("customer_id").asText(), m.getQueueId());
                assertTrue(earlier == null || earlier == m.getQueueId(), "a customer's changes on one queue");
            }

            // the same changes on HDFS, once the part files roll
            try (FileSystem fs = hdfs.client()) {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() ->
                        PartFiles.readAll(fs, new org.apache.hadoop.fs.Path("/java-orders"), 1).size() >= 75);
                List<PartFiles.Rec> records = PartFiles.readAll(fs, new org.apache.hadoop.fs.Path("/java-orders"), 1);
                for (PartFiles.Rec r : records) { // a delete (an order that left the filter) carries the key only, as above
                    assertEquals(r.op().equals("DELETE") ? java.util.Set.of("id") : java.util.Set.of("id", "customer_id", "amount"),
                            r.values().keySet(), r.toString());
                }
                System.out.printf("java dsl route: %d RocketMQ messages, %d HDFS records%n", reader.received.size(), records.size());
            }
        }
    }

    static List<String> fieldNames(JsonNode row) {
        List<String> names = new java.util.ArrayList<>();
        row.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
