package blocks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import testsupport.Postgres;
import testsupport.RunningTributary;
import testsupport.TestServers;
import testsupport.Topics;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped example {@code routes/building-blocks.camel.yaml}, run as an operator would (dropped into the routes
 * folder, properties beside it): a pipeline's where, columns, rename and dedup as beans, the JDBC upsert sink as an
 * endpoint, the retry policy by id; per-table routing, Kafka records in canal and a data format on the second route.
 */
class BuildingBlocksIT {

    static final ObjectMapper JSON = new ObjectMapper();
    final Postgres pg = TestServers.postgres();

    static String rows(Postgres pg, String database, String sql) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = pg.connect(database); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getString(i));
                }
                rows.add(String.join("|", row));
            }
        } catch (java.sql.SQLException e) {
            return "(" + e.getMessage() + ")"; // the target table is not there yet
        }
        return String.join("\n", rows);
    }

    @Test
    void theExampleRoutesFilterProjectRenameDedupAndRouteByTable() throws Exception {
        String kafka = TestServers.kafka().bootstrap();
        pg.createDatabase("blocks");
        pg.createDatabase("blockscopy");
        pg.execute("blocks",
                "CREATE TABLE orders (id int PRIMARY KEY, customer_id int NOT NULL, status text NOT NULL, amount numeric(10,2), note text)",
                "CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL, city text)",
                "INSERT INTO customers SELECT g, 'customer ' || g, CASE WHEN g % 2 = 0 THEN 'Hangzhou' ELSE '北京' END FROM generate_series(1, 20) g",
                "INSERT INTO orders SELECT g, 1 + g % 20, CASE WHEN g % 5 = 0 THEN 'cancelled' ELSE 'paid' END, g * 1.5, 'note ' || g "
                        + "FROM generate_series(1, 200) g");
        String route = Files.readString(Path.of("src/main/resources/routes/building-blocks.camel.yaml"));
        try (RunningTributary t = new RunningTributary(Map.of(
                "routes/blocks.camel.yaml", route,
                "application.properties", """
                        pg.host=localhost
                        pg.port=%d
                        pg.database=blocks
                        pg.user=postgres
                        pg.password=pw
                        target.url=jdbc:postgresql://localhost:%d/blockscopy
                        target.user=postgres
                        target.password=pw
                        kafka.brokers=%s
                        kafka.topicPrefix=bb
                        """.formatted(pg.port(), pg.port(), kafka)))) {
            String orders = "SELECT id, status, amount FROM %s ORDER BY id";
            String expectedOrders = "SELECT id, status, amount FROM orders WHERE status <> 'cancelled' ORDER BY id";
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> rows(pg, "blockscopy", orders.formatted("copy_orders")).equals(rows(pg, "blocks", expectedOrders)));

            pg.execute("blocks",
                    "UPDATE orders SET status = 'cancelled' WHERE id IN (1, 2, 3)",          // leave the filter: deleted
                    "UPDATE orders SET status = 'paid', amount = 99.99 WHERE id = 5",        // enters it: inserted
                    "UPDATE orders SET note = 'changed' WHERE id = 7",                      // a column the copy leaves out
                    "INSERT INTO orders VALUES (201, 3, 'paid', 10.00, 'x'), (202, 3, 'cancelled', 11.00, 'y')",
                    "UPDATE customers SET name = name || ' (vip)' WHERE id <= 5",
                    "DELETE FROM customers WHERE id = 20");
            String expected = rows(pg, "blocks", expectedOrders);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> rows(pg, "blockscopy", orders.formatted("copy_orders")).equals(expected));
            assertEquals(expected, rows(pg, "blockscopy", orders.formatted("copy_orders")));
            assertEquals("id|status|amount", columns(pg, "blockscopy", "copy_orders"), "only the selected columns arrive");
            String clients = rows(pg, "blocks", "SELECT id, name, city FROM customers ORDER BY id");
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> rows(pg, "blockscopy", "SELECT id, full_name, city FROM copy_clients ORDER BY id").equals(clients));

            // the second route: orders as canal records keyed by customer, customers as JSON lines
            List<ConsumerRecord<String, String>> canal = Topics.readAtLeast(kafka, "bb.orders.canal", 200 + 7, Duration.ofSeconds(60));
            JsonNode first = JSON.readTree(canal.get(0).value());
            assertEquals("orders", first.get("table").asText(), canal.get(0).value());
            assertEquals("public", first.get("database").asText(), "canal's database is the schema");
            assertTrue(canal.stream().allMatch(r -> r.key().matches("\\{\"customer_id\":\\d+}")), "keyed by the sharding column");
            List<ConsumerRecord<String, String>> lines = Topics.readAtLeast(kafka, "bb.customers.lines", 1, Duration.ofSeconds(60));
            int changes = 0;
            for (ConsumerRecord<String, String> r : lines) {
                for (String line : r.value().split("\n")) {
                    JsonNode change = JSON.readTree(line);
                    assertEquals("public.customers", change.path("__table").asText(), line);
                    assertTrue(change.has("id"), line);
                    changes++;
                }
            }
            System.out.printf("building blocks: copy_orders %d rows, copy_clients equal; %d canal records, %d customer changes in %d JSON-lines records%n",
                    expected.split("\n").length, canal.size(), changes, lines.size());
            assertTrue(changes >= 20, "the snapshot's 20 customers at least: " + changes);
        }
    }

    static String columns(Postgres pg, String database, String table) throws Exception {
        return rows(pg, database, "SELECT string_agg(column_name, '|' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = '"
                + table + "'");
    }
}
