package processors;

import testsupport.PipelineStatus;
import testsupport.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import testsupport.Postgres;
import testsupport.RunningTributary;
import testsupport.TestServers;
import testsupport.Topics;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Row filter, column selection and renames on a real PostgreSQL stream, onto Kafka. */
class ProcessingIT {

    final String kafka = TestServers.kafka().bootstrap();

    @Test
    void filterSelectAndRenameOnARealStream() throws Exception {
        Postgres pg = TestServers.postgres();
        pg.createDatabase("proc");
        pg.execute("proc", "CREATE TABLE orders (id int PRIMARY KEY, status text, amount numeric(10,2), note text)",
                "ALTER TABLE orders REPLICA IDENTITY FULL");
        String pipeline = """
                pipeline: proc-orders
                source: {type: postgres, host: localhost, port: %d, database: proc, user: postgres, password: "s3cret-Pw"}
                mode: incremental
                objects:
                  - table: public.orders
                    topic: proc.orders
                    where: "status <> 'draft' AND amount > 10"
                    columns: [status, amount]
                    rename: {table: sales_orders, columns: {amount: total}}
                format: json-row
                sink: {type: kafka, brokers: "%s"}
                """.formatted(pg.port(), kafka);
        try (RunningTributary t = new RunningTributary(pipeline)) {
            PipelineStatus.awaitRunning(t.port, "proc-orders");
            pg.execute("proc",
                    "INSERT INTO orders VALUES (1, 'paid', 20, 'a')",             // in
                    "INSERT INTO orders VALUES (2, 'draft', 50, 'b')",            // out
                    "INSERT INTO orders VALUES (3, NULL, 99, 'c')",               // NULL <> 'draft' is UNKNOWN: out
                    "UPDATE orders SET status = 'paid' WHERE id = 2",             // enters: insert
                    "UPDATE orders SET amount = 5 WHERE id = 1",                  // leaves: delete
                    "UPDATE orders SET note = 'x' WHERE id = 3",                  // out → out
                    "DELETE FROM orders WHERE id = 2");                           // in: delete
            List<ConsumerRecord<String, String>> records = Topics.readAtLeast(kafka, "proc.orders", 4, Duration.ofSeconds(60));
            List<String> seen = records.stream().sorted(java.util.Comparator.comparing((ConsumerRecord<String, String> r) -> r.key())
                    .thenComparingLong(ConsumerRecord::offset)).map(r -> {
                JsonNode n = Json.json(r);
                return r.key() + " " + n.get("__op").asText() + " " + n.get("status").asText() + " " + n.get("total")
                        + " " + n.has("note") + " " + n.get("__table").asText();
            }).toList();
            assertEquals(List.of(
                    "{\"id\":1} c paid 20.00 false public.sales_orders",
                    "{\"id\":1} d paid 20.00 false public.sales_orders",
                    "{\"id\":2} c paid 50.00 false public.sales_orders",
                    "{\"id\":2} d paid 50.00 false public.sales_orders"), seen);
            String status = t.get("/api/pipelines/proc-orders").body();
            assertEquals(3, Json.MAPPER.readTree(status).at("/events/filtered").asInt(), status);
        }
    }

    /** A filter or column list naming a column the table lacks fails the pipeline before it reads anything. */
    @Test
    void aMisspelledColumnFailsThePipelineAtStart() throws Exception {
        Postgres pg = TestServers.postgres();
        pg.createDatabase("procbad");
        pg.execute("procbad", "CREATE TABLE orders (id int PRIMARY KEY, status text)", "CREATE TABLE order_lines (id int PRIMARY KEY, qty int)");
        String pipeline = """
                pipeline: proc-bad
                source: {type: postgres, host: localhost, port: %d, database: procbad, user: postgres, password: "s3cret-Pw"}
                objects:
                  - {table: public.orders, where: "state = 'paid'"}
                  - {table: public.order_*, columns: [qty, amount]}
                sink: {type: kafka, brokers: "%s"}
                errors: {retries: 0, retryDelayMs: 100}
                """.formatted(pg.port(), kafka);
        try (RunningTributary t = new RunningTributary(pipeline)) {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60))
                    .until(() -> t.get("/api/pipelines/proc-bad").body().contains("\"state\":\"FAILED\""));
            String failed = t.get("/api/pipelines/proc-bad").body();
            org.junit.jupiter.api.Assertions.assertTrue(failed.contains("objects[0] (public.orders): where names column 'state', which public.orders "
                    + "does not have (its columns: id, status)") && failed.contains("objects[1] (public.order_*): columns names column 'amount', "
                    + "which public.order_lines does not have (its columns: id, qty)"), failed);
        }
    }
}
