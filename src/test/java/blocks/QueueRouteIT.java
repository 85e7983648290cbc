package blocks;

import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import testsupport.Dirs;
import testsupport.Postgres;
import testsupport.TestServers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Kafka source endpoint alone in a hand-written YAML route, with the JDBC upsert endpoint and the shared retry
 * policy: Maxwell messages on a three-partition topic (inserts, updates, deletes, keyed by row) applied to PostgreSQL
 * in order per key; a message that is not Maxwell JSON kept as a dead letter with its coordinates.
 */
class QueueRouteIT {

    @Test
    void aHandWrittenRouteLoadsMaxwellMessagesFromKafkaIntoPostgres() throws Exception {
        Postgres pg = TestServers.postgres();
        String kafka = TestServers.kafka().bootstrap();
        pg.createDatabase("handdst");
        pg.execute("handdst", "CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL, qty int)");
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", kafka))) {
            admin.createTopics(List.of(new NewTopic("hand.maxwell", 3, (short) 1))).all().get();
        }
        List<String> expected = new ArrayList<>();
        try (KafkaProducer<String, String> p = testsupport.Topics.producer(kafka)) {
            for (int id = 1; id <= 200; id++) {
                p.send(record(id, "insert", "{\"id\":" + id + ",\"name\":\"item " + id + "\",\"qty\":" + id + "}", null));
            }
            for (int id = 1; id <= 100; id++) {
                p.send(record(id, "update", "{\"id\":" + id + ",\"name\":\"item " + id + "\",\"qty\":" + (id + 1000) + "}", "{\"qty\":" + id + "}"));
            }
            p.send(new ProducerRecord<>("hand.maxwell", "{\"id\":0}", "{\"type\":\"insert\""));
            for (int id = 151; id <= 200; id++) {
                p.send(record(id, "delete", "{\"id\":" + id + ",\"name\":\"item " + id + "\",\"qty\":" + id + "}", null));
            }
            p.flush();
        }
        for (int id = 1; id <= 150; id++) {
            expected.add(id + "|item " + id + "|" + (id <= 100 ? id + 1000 : id));
        }
        Path state = Files.createTempDirectory("tributary-queue-route");
        String route = """
                - route:
                    id: maxwell-to-postgres
                    routeConfigurationId: tributary-retries
                    from:
                      uri: tributary-kafka-source:hand
                      parameters: {brokers: "%s", topics: hand.maxwell, group: hand-loader, format: maxwell, maxEvents: 64, stateDir: "%s"}
                      steps:
                        - to:
                            uri: tributary-jdbc:hand
                            parameters: {url: "%s", user: %s, password: %s, stateDir: "%s"}
                """.formatted(kafka, state, pg.jdbcUrl("handdst"), Postgres.USER, Postgres.PASSWORD, state);
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            BuildingBlocks.bindTo(camel.getRegistry());
            camel.addRoutes(new RetryPolicy());
            PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.fromString("maxwell.camel.yaml", route));
            camel.start();
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
                try (Connection c = pg.connect("handdst")) {
                    return testsupport.Rows.of(c, "SELECT id, name, qty FROM items ORDER BY id").equals(expected);
                }
            });
            String letters = Files.readString(state.resolve("hand/dead-letters.jsonl"));
            assertTrue(letters.contains("\"position\":\"hand.maxwell:") && letters.contains("not a maxwell message"), letters);
            assertEquals(1, letters.lines().count(), letters);
        } finally {
            Dirs.delete(state);
        }
    }

    private static ProducerRecord<String, String> record(int id, String type, String data, String old) {
        return new ProducerRecord<>("hand.maxwell", "{\"id\":" + id + "}", "{\"database\":\"shop\",\"table\":\"items\",\"type\":\"" + type
                + "\",\"ts\":1764800000,\"xid\":" + id + ",\"data\":" + data + (old == null ? "" : ",\"old\":" + old)
                + ",\"primary_key_columns\":[\"id\"]}");
    }
}
