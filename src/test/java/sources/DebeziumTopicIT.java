package sources;

import com.fasterxml.jackson.databind.JsonNode;
import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.format.Json;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import testsupport.Dirs;
import testsupport.KafkaBroker;
import testsupport.PipelineStatus;
import testsupport.Postgres;
import testsupport.TestServers;
import testsupport.TributaryJar;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Topics written by Debezium itself — its embedded engine with the JSON converter, schemas on and off, tombstones after
 * deletes, as Kafka Connect would write them — loaded into PostgreSQL by Tributary's Kafka source. The first run halts
 * the JVM (as kill -9) the third time a batch is acknowledged and before its offsets are committed — the worst moment —
 * and the restart converges: each target table equals the source row by row, every column type typed into the
 * target's own. A message that is not Debezium JSON becomes a dead letter with its topic, partition and offset, and the
 * pipeline goes on.
 */
class DebeziumTopicIT {

    static final int ROWS = 1_500;

    final Postgres pg = TestServers.postgres();
    final String kafka = TestServers.kafka().bootstrap();

    static final String TABLE = "CREATE TABLE readings (id bigint PRIMARY KEY, sensor text NOT NULL, value numeric(10,3), at timestamp,"
            + " tz timestamptz, day date, raw bytea, ok boolean)";

    @Test
    void debeziumsOwnJsonWithAndWithoutSchemasLoadsIntoPostgres() throws Exception {
        pg.createDatabase("rawsrc");
        pg.execute("rawsrc", TABLE);
        pg.execute("rawsrc", "INSERT INTO readings SELECT i, CASE WHEN i % 7 = 0 THEN '传感器 ' || i ELSE 'sensor ' || i END,"
                + " CASE WHEN i % 11 = 0 THEN NULL ELSE i * 1.125 END, timestamp '2026-01-01 00:00:00' + i * interval '1.5 second',"
                + " timestamptz '2026-06-01 12:00:00+02' + i * interval '1 minute', date '2026-01-01' + i % 300,"
                + " CASE WHEN i % 5 = 0 THEN NULL ELSE decode(lpad(to_hex(i), 8, '0'), 'hex') END, i % 2 = 0 FROM generate_series(1, " + ROWS + ") i");
        Path dir = Files.createTempDirectory("tributary-debezium-topic");
        try (DebeziumToKafka on = new DebeziumToKafka(dir, "raw_on", true); DebeziumToKafka off = new DebeziumToKafka(dir, "raw_off", false)) {
            on.awaitProduced(ROWS); // the snapshots
            off.awaitProduced(ROWS);
            pg.execute("rawsrc", "UPDATE readings SET value = value + 1, ok = NOT ok WHERE id % 10 = 3");
            pg.execute("rawsrc", "DELETE FROM readings WHERE id % 25 = 0");
            long expected = ROWS + ROWS / 10 + 2L * (ROWS / 25); // snapshot, updates, deletes with their tombstones
            on.awaitProduced(expected);
            off.awaitProduced(expected);
            System.out.printf("Debezium's engine wrote %d messages with schemas, %d without (tombstones included)%n", on.produced.get(), off.produced.get());
        }
        try (KafkaProducer<String, String> p = testsupport.Topics.producer(kafka)) {
            p.send(new ProducerRecord<>("raw_off.public.readings", "{\"id\":0}", "{not json")).get();
        }
        pg.createDatabase("rawdst_on");
        pg.createDatabase("rawdst_off");
        pg.execute("rawdst_on", TABLE);
        pg.execute("rawdst_off", TABLE);
        Files.createDirectories(dir.resolve("pipelines"));
        for (String name : List.of("raw_on", "raw_off")) {
            Files.writeString(dir.resolve("pipelines/" + name.replace('_', '-') + ".yaml"), """
                    pipeline: %s
                    source: {type: kafka, brokers: "%s", topics: [%s.public.readings], format: debezium}
                    objects: [{table: public.readings, target: public.readings}]
                    sink: {type: jdbc, url: "%s", user: %s, password: %s}
                    batch: {maxEvents: 200}
                    """.formatted(name.replace('_', '-'), kafka, name, pg.jdbcUrl("rawdst_" + name.substring(4)), Postgres.USER, Postgres.PASSWORD));
        }
        int port = KafkaBroker.freePort();
        TributaryJar halted = TributaryJar.start(dir, port, "debezium-topic-halted", "-Dtributary.faults.halt=batch-acked@3");
        assertTrue(halted.process.waitFor(120, TimeUnit.SECONDS), "the JVM halts at the third acknowledged batch");
        assertEquals(137, halted.process.exitValue());
        TributaryJar resumed = TributaryJar.start(dir, port, "debezium-topic-resumed");
        try {
            List<String> source;
            try (Connection c = pg.connect("rawsrc")) {
                source = testsupport.Rows.of(c, "SELECT * FROM readings ORDER BY id");
            }
            for (String target : List.of("rawdst_on", "rawdst_off")) {
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() -> {
                    try (Connection c = pg.connect(target)) {
                        return testsupport.Rows.of(c, "SELECT * FROM readings ORDER BY id").equals(source);
                    }
                });
            }
            JsonNode letters = testsupport.Json.json(HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + port + "/api/pipelines/raw-off/dead-letters")).build(), HttpResponse.BodyHandlers.ofString()).body());
            JsonNode letter = letters.path("letters").get(0);
            assertTrue(letter != null && letter.path("position").asText().matches("raw_off\\.public\\.readings:\\d+:\\d+")
                    && letter.path("cause").asText().contains("not JSON"), "the unreadable message kept with its coordinates: " + letters);
            System.out.printf("Debezium JSON (schemas on and off) → Kafka → Tributary → PostgreSQL, halted once at batch-acked: %d rows equal"
                    + " row by row in both targets; dead letter %s%n", source.size(), letter);
        } finally {
            resumed.process.destroy();
            resumed.process.waitFor(30, TimeUnit.SECONDS);
            resumed.process.destroyForcibly();
            Dirs.delete(dir);
        }
    }

    /**
     * Debezium's embedded engine on its own slot, each record produced to Kafka as Kafka Connect's JSON converter writes
     * it (tombstones included).
     */
    private final class DebeziumToKafka implements AutoCloseable {

        final String name;
        final AtomicLong produced = new AtomicLong();
        final java.util.concurrent.atomic.AtomicReference<String> failure = new java.util.concurrent.atomic.AtomicReference<>();
        final KafkaProducer<String, String> producer = testsupport.Topics.producer(kafka);
        final DebeziumEngine<ChangeEvent<String, String>> engine;
        final ExecutorService executor = Executors.newSingleThreadExecutor();

        DebeziumToKafka(Path dir, String name, boolean schemas) {
            this.name = name;
            Properties props = new Properties();
            props.put("name", name);
            props.put("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
            props.put("offset.storage", "org.apache.kafka.connect.storage.FileOffsetBackingStore");
            props.put("offset.storage.file.filename", dir.resolve(name + ".offsets").toString());
            props.put("offset.flush.interval.ms", "0");
            props.put("database.hostname", "localhost");
            props.put("database.port", String.valueOf(pg.port()));
            props.put("database.user", Postgres.USER);
            props.put("database.password", Postgres.PASSWORD);
            props.put("database.dbname", "rawsrc");
            props.put("topic.prefix", name);
            props.put("plugin.name", "pgoutput");
            props.put("slot.name", name);
            props.put("publication.name", name);
            props.put("publication.autocreate.mode", "filtered");
            props.put("table.include.list", "public\\.readings");
            props.put("converter.schemas.enable", String.valueOf(schemas));
            if (!schemas) {
                props.put("decimal.handling.mode", "string"); // a precise decimal without its schema has no scale to read back
            }
            engine = DebeziumEngine.create(Json.class).using(props)
                    .notifying((records, committer) -> {
                        for (ChangeEvent<String, String> r : records) {
                            try {
                                producer.send(new ProducerRecord<>(r.destination(), r.key(), r.value())).get();
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                            produced.incrementAndGet();
                            committer.markProcessed(r);
                        }
                        committer.markBatchFinished();
                    })
                    .using((success, message, error) -> {
                        if (!success) {
                            failure.set(message + (error == null ? "" : ": " + error));
                        }
                    }).build();
            executor.submit(engine);
        }

        void awaitProduced(long count) {
            await().atMost(Duration.ofSeconds(120)).until(() -> {
                assertEquals(null, failure.get(), name + ": Debezium's engine failed");
                return produced.get() >= count;
            });
        }

        @Override
        public void close() throws Exception {
            while (true) {
                try {
                    engine.close();
                    break;
                } catch (IllegalStateException stillStarting) {
                    Thread.sleep(100);
                }
            }
            executor.shutdown();
            executor.awaitTermination(30, TimeUnit.SECONDS);
            producer.close();
            // the slot would hold WAL for ever on the shared server; released a moment after the engine closed
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
                pg.execute("rawsrc", "SELECT pg_drop_replication_slot('" + name + "')");
                return true;
            });
        }
    }
}
