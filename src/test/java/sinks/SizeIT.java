package sinks;

import testsupport.Json;
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
            JsonNode after = Json.json(Topics.readAtLeast(kafka, "size.big", 1, Duration.ofSeconds(60)).get(0));
            assertEquals(2, after.at("/after/id").asInt(), "the change after the 50 MB one flows");
            assertEquals("RUNNING", jar.status("size").path("state").asText());
            System.out.printf("size: the 50 MB value is a dead letter, the next change delivered, heap at most %d MB%n",
                    Math.max(maxHeap, heapUsed(jar)) >> 20);
        } finally {
            Dirs.delete(dir);
        }
    }

    /** 500 tables in one pipeline: a snapshot of each, then a change in each, all delivered under -Xmx512m. */
    @Test
    void fiveHundredTablesInOnePipeline() throws Exception {
        Postgres pg = TestServers.postgres();
        String kafka = TestServers.kafka().bootstrap();
        pg.createDatabase("widedb");
        pg.execute("widedb", "DO $$ BEGIN FOR i IN 1..500 LOOP"
                + " EXECUTE format('CREATE TABLE w_%s (id int PRIMARY KEY, v text NOT NULL)', i);"
                + " EXECUTE format('INSERT INTO w_%s SELECT g, ''row '' || g FROM generate_series(1, 10) g', i);"
                + " END LOOP; END $$");
        Path dir = Files.createTempDirectory("tributary-wide");
        Files.createDirectories(dir.resolve("pipelines"));
        Files.writeString(dir.resolve("pipelines/wide.yaml"), """
                pipeline: wide
                source: {type: postgres, host: localhost, port: %d, database: widedb, user: postgres, password: pw}
                mode: full-and-incremental
                objects: [{table: "public.w_*", topic: wide.all}]
                sink: {type: kafka, brokers: "%s"}
                """.formatted(pg.port(), kafka));
        try (TributaryJar jar = TributaryJar.start(dir, KafkaBroker.freePort(), "wide")) {
            long t0 = System.nanoTime();
            long maxHeap = awaitDelivered(jar, "wide", 5_000, 0);
            double snapshot = (System.nanoTime() - t0) / 1e9;
            pg.execute("widedb", "DO $$ BEGIN FOR i IN 1..500 LOOP EXECUTE format('INSERT INTO w_%s VALUES (11, ''streamed'')', i); END LOOP; END $$");
            maxHeap = awaitDelivered(jar, "wide", 5_500, maxHeap);
            java.util.Set<String> rows = new java.util.HashSet<>();
            for (var r : Topics.readAtLeast(kafka, "wide.all", 5_500, Duration.ofSeconds(60))) {
                JsonNode e = Json.json(r);
                rows.add(e.at("/source/table").asText() + "/" + e.at("/after/id").asInt());
            }
            assertEquals(5_500, rows.size(), "every row of every table, snapshot and streamed");
            assertEquals(500, rows.stream().map(k -> k.split("/")[0]).distinct().count(), "every table");
            System.out.printf("size: 500 tables in one pipeline: snapshot of 5,000 rows in %.1f s, then 500 changes (one per table); "
                    + "heap used at most %d MB of 512%n", snapshot, maxHeap >> 20);
        } finally {
            Dirs.delete(dir);
        }
    }

    /** 50 pipelines in one JVM (each its own slot, engine and producer): every pipeline delivers every change under -Xmx512m. */
    @Test
    void fiftyPipelinesInOneJvm() throws Exception {
        // a minute on 2 cores: in the full campaign (-Pcampaign), not in the default tests
        org.junit.jupiter.api.Assumptions.assumeTrue(Boolean.getBoolean("campaign.full"), "full campaign only (-Pcampaign)");
        String kafka = TestServers.kafka().bootstrap();
        try (Postgres pg = Postgres.restartable()) { // 50 slots of its own: the shared server's slots serve the other tests
            pg.createDatabase("manydb");
            pg.execute("manydb", "DO $$ BEGIN FOR i IN 1..50 LOOP"
                    + " EXECUTE format('CREATE TABLE m_%s (id int PRIMARY KEY, v text NOT NULL)', i); END LOOP; END $$");
            Path dir = Files.createTempDirectory("tributary-many");
            Files.createDirectories(dir.resolve("pipelines"));
            for (int i = 1; i <= 50; i++) {
                Files.writeString(dir.resolve("pipelines/many" + i + ".yaml"), """
                        pipeline: many%d
                        source: {type: postgres, host: localhost, port: %d, database: manydb, user: postgres, password: pw}
                        mode: incremental
                        objects: [{table: public.m_%d, topic: many.m_%d}]
                        sink: {type: kafka, brokers: "%s"}
                        """.formatted(i, pg.port(), i, i, kafka));
            }
            try (TributaryJar jar = TributaryJar.start(dir, KafkaBroker.freePort(), "many")) {
                long t0 = System.nanoTime();
                long maxHeap = 0;
                for (int i = 1; i <= 50; i++) {
                    String name = "many" + i;
                    await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(500))
                            .until(() -> !jar.process.isAlive() || "RUNNING".equals(jar.status(name).path("state").asText()));
                    assertTrue(jar.process.isAlive(), "the JVM died (see target/jar-many.log)");
                    maxHeap = Math.max(maxHeap, heapUsed(jar));
                }
                double started = (System.nanoTime() - t0) / 1e9;
                pg.execute("manydb", "DO $$ BEGIN FOR i IN 1..50 LOOP"
                        + " EXECUTE format('INSERT INTO m_%s SELECT g, ''row '' || g FROM generate_series(1, 200) g', i); END LOOP; END $$");
                for (int i = 1; i <= 50; i++) {
                    maxHeap = awaitDelivered(jar, "many" + i, 200, maxHeap);
                }
                for (int i = 1; i <= 50; i++) {
                    assertEquals(200, jar.delivered("many" + i), "many" + i);
                }
                System.out.printf("size: 50 pipelines in one JVM: all RUNNING %.1f s after the start, 50 x 200 changes delivered; "
                        + "heap used at most %d MB of 512, %d threads%n", started, maxHeap >> 20, threads(jar));
            } finally {
                Dirs.delete(dir);
            }
        }
    }

    /** Waits until the pipeline delivered {@code count} changes (the JVM must live); the highest heap seen. */
    private static long awaitDelivered(TributaryJar jar, String pipeline, long count, long maxHeap) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(300).toNanos();
        while (jar.delivered(pipeline) < count && System.nanoTime() < deadline) {
            maxHeap = Math.max(maxHeap, heapUsed(jar));
            assertTrue(jar.process.isAlive(), "the JVM died (see its log in target/)");
            Thread.sleep(500);
        }
        assertEquals(count, jar.delivered(pipeline), pipeline + " delivered");
        return Math.max(maxHeap, heapUsed(jar));
    }

    /** jvm_threads_live_threads from the JAR's /metrics. */
    private static long threads(TributaryJar jar) {
        try {
            String metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + jar.port + "/metrics")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            return metrics.lines().filter(l -> l.startsWith("jvm_threads_live_threads")).mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                    .findFirst().orElse(-1);
        } catch (Exception e) {
            return -1;
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
