package sources;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import testsupport.KafkaBroker;
import testsupport.Postgres;
import testsupport.RunningTributary;
import testsupport.TestServers;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Kafka source's broker going away mid-stream: the pipeline stays RUNNING and waits; when the broker is back it
 * goes on from the committed offsets, and the target holds every row — none skipped.
 */
class QueueSourceOutageIT {

    static final int ROWS = 20_000;

    @Test
    void theSourceBrokerGoingAwayPausesAndResumesWithoutLoss() throws Exception {
        Postgres pg = TestServers.postgres();
        pg.createDatabase("qoutage");
        pg.execute("qoutage", "CREATE TABLE items (id int PRIMARY KEY, name text, n int)");
        try (KafkaBroker kafka = new KafkaBroker()) {
            try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", kafka.bootstrap()))) {
                admin.createTopics(List.of(new NewTopic("rows", 2, (short) 1))).all().get();
            }
            try (KafkaProducer<String, String> p = testsupport.Topics.producer(kafka.bootstrap())) {
                for (int id = 1; id <= ROWS; id++) {
                    p.send(new ProducerRecord<>("rows", "{\"id\":" + id + "}", "{\"id\":" + id + ",\"name\":\"item " + id
                            + "\",\"n\":" + id + ",\"__op\":\"c\",\"__table\":\"shop.items\",\"__ts\":1764800000000}"));
                }
            }
            String file = """
                    pipeline: qoutage
                    source: {type: kafka, brokers: "%s", topics: [rows], format: json-row,
                             options: {default.api.timeout.ms: 5000, request.timeout.ms: 3000}}
                    objects: [{table: shop.items, target: public.items}]
                    sink: {type: jdbc, url: "%s", user: %s, password: %s}
                    batch: {maxEvents: 200}
                    """.formatted(kafka.bootstrap(), pg.jdbcUrl("qoutage"), Postgres.USER, Postgres.PASSWORD);
            try (RunningTributary t = new RunningTributary(file)) {
                JsonNode precheck = testsupport.Json.json(t.post("/api/pipelines/qoutage/precheck"));
                assertEquals(true, precheck.get("passed").asBoolean(), precheck.toString());
                assertTrue(precheck.toString().contains("rows: 2 partitions") && precheck.toString().contains("source.group"), precheck.toString());
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> count(pg) >= 2_000);
                kafka.stop();
                long atStop = count(pg);
                Thread.sleep(8_000); // the outage: polls return nothing, a commit times out and the client reconnects
                JsonNode during = testsupport.Json.json(t.get("/api/pipelines/qoutage"));
                assertEquals("RUNNING", during.get("state").asText(), "waiting, not failed: " + during);
                kafka.start();
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() -> count(pg) == ROWS);
                try (Connection c = pg.connect("qoutage"); Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("SELECT count(*), sum(n), min(id), max(id) FROM items WHERE name = 'item ' || id")) {
                    rs.next();
                    assertEquals(ROWS, rs.getLong(1));
                    assertEquals((long) ROWS * (ROWS + 1) / 2, rs.getLong(2));
                }
                System.out.printf("kafka source outage: %d rows in the target when the broker stopped, all %d after it came back; status %s%n",
                        atStop, ROWS, testsupport.Json.json(t.get("/api/pipelines/qoutage")).get("engine"));
            }
        }
    }

    private static long count(Postgres pg) throws Exception {
        try (Connection c = pg.connect("qoutage"); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM items")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
