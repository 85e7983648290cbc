package routes;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import testsupport.Dirs;
import testsupport.KafkaBroker;
import testsupport.Postgres;
import testsupport.TestServers;
import testsupport.Topics;
import testsupport.TributaryJar;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Size, on the fat JAR under {@code -Xmx512m}: one transaction of 1,000,000 rows, and a row with a 50 MB value. No
 * OutOfMemoryError, the heap stays bounded, nothing is lost: the large transaction arrives whole (batches of
 * {@code batch.maxEvents}, never the transaction at once); the 50 MB row, which Kafka cannot take, is a dead letter
 * and the changes after it flow.
 */
class SizeIT {

    @Test
    void aMillionRowTransactionAndA50MbValueUnder512Mb() throws Exception {
        Postgres pg = TestServers.postgres();
        String kafka = TestServers.kafka().bootstrap();
        pg.createDatabase("sizedb");
        pg.execute("sizedb", "CREATE TABLE t (id int PRIMARY KEY, v text NOT NULL)", "CREATE TABLE big (id int PRIMARY KEY, v text NOT NULL)");
        Path dir = Files.createTempDirectory("tributary-size");
        Files.createDirectories(dir.resolve("pipelines"));
        Files.writeString(dir.resolve("pipelines/size.yaml"), """
                pipeline: size
                source: {type: postgres, host: localhost, port: %d, database: sizedb, user: postgres, password: pw}
                mode: incremental
                objects: [{table: public.t, topic: size.t}, {table: public.big, topic: size.big}]
                sink: {type: kafka, brokers: "%s"}
                """.formatted(pg.port(), kafka));
        try (TributaryJar jar = TributaryJar.start(dir, KafkaBroker.freePort(), "size")) {
            jar.awaitRunning("size");
            long t0 = System.nanoTime();
            pg.execute("sizedb", "INSERT INTO t SELECT g, 'row ' || g FROM generate_series(1, 1000000) g");
            long maxHeap = 0;
            while (jar.delivered("size") < 1_000_000 && System.nanoTime() - t0 < Duration.ofSeconds(600).toNanos()) {
                maxHeap = Math.max(maxHeap, heapUsed(jar));
                Thread.sleep(500);
                assertTrue(jar.process.isAlive(), "the JVM died (see target/jar-size.log)");
            }
            assertEquals(1_000_000, jar.delivered("size"), "the million-row transaction delivered");
            System.out.printf("size: 1,000,000-row transaction delivered in %.1f s, heap used at most %d MB of 512%n",
                    (System.nanoTime() - t0) / 1e9, maxHeap >> 20);

            pg.execute("sizedb", "INSERT INTO big VALUES (1, repeat('x', 50 * 1024 * 1024))", "INSERT INTO big VALUES (2, 'after')");
            await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(500))
                    .until(() -> !jar.process.isAlive() || jar.status("size").at("/events/deadLettered").asInt() == 1);
            assertTrue(jar.process.isAlive(), "the JVM died on the 50 MB value (see target/jar-size.log)");
            JsonNode after = PostgresToKafkaIT.json(Topics.readAtLeast(kafka, "size.big", 1, Duration.ofSeconds(60)).get(0));
            assertEquals(2, after.at("/after/id").asInt(), "the change after the 50 MB one flows");
            assertEquals("RUNNING", jar.status("size").path("state").asText());
            System.out.printf("size: the 50 MB value is a dead letter, the next change delivered, heap at most %d MB%n",
                    Math.max(maxHeap, heapUsed(jar)) >> 20);
        } finally {
            Dirs.delete(dir);
        }
    }

    /** jvm_memory_used_bytes{area="heap"} summed, from the JAR's /metrics. */
    private static long heapUsed(TributaryJar jar) {
        try {
            String metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + jar.port + "/metrics")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            return metrics.lines().filter(l -> l.startsWith("jvm_memory_used_bytes{area=\"heap\""))
                    .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        } catch (Exception e) {
            return 0;
        }
    }
}
