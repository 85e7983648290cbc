package sinks;

import testsupport.PipelineFiles;
import testsupport.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import testsupport.KafkaBroker;
import testsupport.Postgres;
import testsupport.RunningTributary;
import testsupport.TestServers;
import testsupport.Topics;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A Kafka outage pauses the pipeline, which retries with backoff; when Kafka is back, nothing is missing. */
class KafkaOutageIT {

    @Test
    void theSinkGoingAwayPausesAndRetriesWithoutLoss() throws Exception {
        Postgres pg = TestServers.postgres();
        pg.createDatabase("outage");
        pg.execute("outage", "CREATE TABLE t (id int PRIMARY KEY)");
        try (KafkaBroker kafka = new KafkaBroker()) {
            String file = PipelineFiles.postgresToKafka("outage", "outage", pg.port(), "incremental", "public.t", "outage.t")
                    .replace("brokers: \"" + TestServers.kafka().bootstrap() + "\"}", "brokers: \"" + kafka.bootstrap()
                            + "\", options: {deliveryTimeoutMs: 4000, requestTimeoutMs: 2000}}") // notice the outage in seconds
                    .replace("errors: {retries: 3, retryDelayMs: 200}", "errors: {retries: 1000, retryDelayMs: 200, maxRetryDelayMs: 1000}");
            try (RunningTributary t = new RunningTributary(file)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> t.get("/api/pipelines/outage").body().contains("\"state\":\"RUNNING\""));
                pg.execute("outage", "INSERT INTO t SELECT generate_series(1, 1000)");
                assertEquals(1000, Topics.readAtLeast(kafka.bootstrap(), "outage.t", 1000, Duration.ofSeconds(60)).size());

                kafka.stop();
                pg.execute("outage", "INSERT INTO t SELECT generate_series(1001, 3000)");
                await().atMost(Duration.ofSeconds(60)).until(() -> status(t).at("/errors/count").asLong() >= 2);
                JsonNode during = status(t);
                assertEquals("RUNNING", during.get("state").asText(), "retrying, not failed: " + during);
                assertEquals(1000, during.at("/engine/changesCommitted").asLong(), "nothing committed during the outage");

                kafka.start();
                List<ConsumerRecord<String, String>> all = Topics.readUntil(kafka.bootstrap(), "outage.t",
                        r -> r.stream().map(ConsumerRecord::key).distinct().count() >= 3000, Duration.ofSeconds(120));
                Set<String> keys = all.stream().map(ConsumerRecord::key).collect(Collectors.toSet());
                assertEquals(3000, keys.size(), "every change, those written during the outage too");
                await().atMost(Duration.ofSeconds(30)).until(() -> status(t).at("/engine/changesCommitted").asLong() == 3000);
                System.out.printf("kafka outage: %d changes, %d records on the topic (%d re-sent), %d failed attempts%n",
                        3000, all.size(), all.size() - 3000, status(t).at("/errors/count").asLong());
                assertTrue(status(t).at("/errors/last").asText().contains("Exception"));
            }
        }
    }

    private static JsonNode status(RunningTributary t) throws Exception {
        return Json.MAPPER.readTree(t.get("/api/pipelines/outage").body());
    }
}
