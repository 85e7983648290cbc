package routes;

import testsupport.PipelineFiles;
import testsupport.Json;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import testsupport.Postgres;
import testsupport.RunningTributary;
import testsupport.TestServers;
import testsupport.Topics;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The run command loads config/routes/*.camel.yaml beside the pipelines, with placeholders from --properties. */
class HandWrittenRoutesIT {

    @Test
    void aRouteInTheRoutesDirectoryRunsBesideAPipeline() throws Exception {
        Postgres pg = TestServers.postgres();
        String kafka = TestServers.kafka().bootstrap();
        pg.createDatabase("mixed");
        pg.execute("mixed", "CREATE TABLE orders (id int PRIMARY KEY, amount numeric(10,2))", "CREATE TABLE other (id int PRIMARY KEY)",
                "INSERT INTO orders VALUES (1, 5.00)", "INSERT INTO other VALUES (1)");
        String route = Files.readString(Path.of("src/main/resources/routes/postgres-to-kafka.camel.yaml"));
        try (RunningTributary t = new RunningTributary(Map.of(
                "routes/orders.camel.yaml", route,
                "application.properties", """
                        pg.host=localhost
                        pg.port=%d
                        pg.database=mixed
                        pg.user=postgres
                        pg.password=pw
                        pg.slot=mixed_by_hand
                        kafka.brokers=%s
                        kafka.topic=mixed.orders.by-hand
                        """.formatted(pg.port(), kafka),
                "pipelines/other.yaml", PipelineFiles.postgresToKafka("mixed-other", "mixed", pg.port(), "full-and-incremental",
                        "public.other", "mixed.other")))) {
            List<ConsumerRecord<String, String>> byHand = Topics.readAtLeast(kafka, "mixed.orders.by-hand", 1, Duration.ofSeconds(60));
            assertEquals("{\"id\":1}", byHand.get(0).key());
            assertEquals("5.00", Json.json(byHand.get(0)).at("/after/amount").toString());
            assertEquals(1, Topics.readAtLeast(kafka, "mixed.other", 1, Duration.ofSeconds(60)).size());
            // the REST API lists the pipeline, not the hand-written route
            assertEquals(1, Json.MAPPER.readTree(t.get("/api/pipelines").body()).size());
        }
    }
}
