package routes;

import testsupport.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import testsupport.Dirs;
import testsupport.Postgres;
import testsupport.TestServers;
import testsupport.Topics;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The shipped hand-written route (src/main/resources/routes/postgres-to-kafka.camel.yaml), run as users will run it. */
class ExampleRouteIT extends CamelTestSupport {

    static Postgres pg;
    static Path data;

    @BeforeAll
    static void database() throws Exception {
        pg = TestServers.postgres();
        pg.createDatabase("handshop");
        pg.execute("handshop", "CREATE TABLE orders (id int PRIMARY KEY, customer text, amount numeric(10,2))",
                "INSERT INTO orders VALUES (1, 'ann', 10.50)");
        data = Files.createTempDirectory("tributary-example");
    }

    @AfterAll
    static void cleanUp() {
        Dirs.delete(data);
    }

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Properties p = new Properties();
        p.put("pg.host", "localhost");
        p.put("pg.port", String.valueOf(pg.port()));
        p.put("pg.database", "handshop");
        p.put("pg.user", "postgres");
        p.put("pg.password", "any");
        p.put("kafka.brokers", TestServers.kafka().bootstrap());
        p.put("kafka.topic", "hand.orders");
        p.put("tributary.data", data.toString());
        return p;
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        blocks.BuildingBlocks.bindTo(context.getRegistry());
        return context;
    }

    @Override
    protected RoutesBuilder createRouteBuilder() throws Exception {
        Collection<RoutesBuilder> loaded = PluginHelper.getRoutesLoader(context)
                .findRoutesBuilders(ResourceHelper.resolveResource(context, "classpath:routes/postgres-to-kafka.camel.yaml"));
        return loaded.iterator().next();
    }

    @Test
    void snapshotAndStreamReachTheTopicKeyedByPrimaryKey() throws Exception {
        String kafka = TestServers.kafka().bootstrap();
        assertEquals(1, Topics.readAtLeast(kafka, "hand.orders", 1, Duration.ofSeconds(60)).size(), "the snapshot row");
        pg.execute("handshop", "INSERT INTO orders VALUES (2, 'bob', 20.00)", "UPDATE orders SET amount = 11.00 WHERE id = 1");
        List<ConsumerRecord<String, String>> records = Topics.readAtLeast(kafka, "hand.orders", 3, Duration.ofSeconds(60));
        // Kafka orders per partition, and the key chooses the partition: compare per key
        assertEquals(List.of("{\"id\":1}:r", "{\"id\":1}:u", "{\"id\":2}:c"), records.stream()
                .map(r -> r.key() + ":" + Json.json(r).get("op").asText()).sorted(java.util.Comparator.comparing(k -> k.substring(0, 8))).toList());
        JsonNode update = records.stream().map(Json::json).filter(e -> e.get("op").asText().equals("u")).findFirst().orElseThrow();
        assertEquals("11.00", update.at("/after/amount").toString());
        assertEquals("hand-written-orders", update.at("/source/name").asText(), "the pipeline is named after the route");
    }
}
