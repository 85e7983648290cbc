package routes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.hadoop.fs.FileSystem;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.rocketmq.common.message.MessageExt;
import org.junit.jupiter.api.Test;
import testsupport.Hdfs;
import testsupport.KafkaBroker;
import testsupport.OrderedQueueReader;
import testsupport.PartFiles;
import testsupport.Postgres;
import testsupport.RocketMqBroker;
import testsupport.TestServers;
import testsupport.TopicsReader;
import testsupport.TributaryJar;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code routes export} round trip, for every sink type: a pipeline file ("-a") runs as a pipeline, the same file under
 * another name ("-b") is exported by the fat JAR's {@code routes export} and runs from the routes folder as a plain
 * Camel route, both in one Tributary reading the same PostgreSQL table (snapshot, then updates that enter and leave
 * the where filter, inserts, deletes). Each pair must leave the same thing: RocketMQ (canal) the same messages on the
 * same queues in the same order; Kafka (debezium) the same keys, ops and rows per partition in order; JDBC the same
 * target table; HDFS the same records.
 */
class RouteExportIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String OBJECT = """
            objects:
              - table: public.orders
                topic: exp_%1$s_%2$s
                target: copy_%1$s_%2$s
                shardingColumns: [customer_id]
                where: "status <> 'cancelled'"
                columns: [id, customer_id, status, amount]
            dedup: {window: 10m}
            """;

    @Test
    void everySinkGetsTheSameFromThePipelineAndFromItsExportedRoute() throws Exception {
        Postgres pg = TestServers.postgres();
        RocketMqBroker mq = TestServers.rocketmq();
        KafkaBroker kafka = TestServers.kafka();
        Hdfs hdfs = TestServers.hdfs();
        pg.createDatabase("exported");
        pg.execute("exported", "CREATE TABLE orders (id int PRIMARY KEY, customer_id int NOT NULL, status text NOT NULL, amount numeric(10,2), note text)",
                "INSERT INTO orders SELECT g, 1 + g % 7, CASE WHEN g % 5 = 0 THEN 'cancelled' ELSE 'paid' END, g * 1.5, 'n' FROM generate_series(1, 300) g");
        mq.createTopic("exp_mq_a", 4, true);
        mq.createTopic("exp_mq_b", 4, true);

        Path dir = Files.createTempDirectory("tributary-export");
        for (String d : List.of("pipelines", "routes", "export")) {
            Files.createDirectories(dir.resolve(d));
        }
        Map<String, String> sinks = Map.of(
                "mq", "format: canal\nsink: {type: rocketmq, namesrv: \"" + mq.namesrv() + "\"}\n",
                "kafka", "format: debezium\nsink: {type: kafka, brokers: \"" + kafka.bootstrap() + "\", options: {lingerMs: 2}}\n",
                "jdbc", "sink: {type: jdbc, url: \"jdbc:postgresql://localhost:" + pg.port() + "/exported\", user: postgres, password: pw, autoCreate: true}\n",
                "hdfs", "format: debezium\nsink: {type: hdfs, uri: \"" + hdfs.uri() + "\", path: /exp-hdfs-%s, fileFormat: jsonl, partition: \"\", rollRecords: 100000, rollAgeMs: 1000}\n");
        List<String> jvm = new ArrayList<>(List.of("-Xmx1g"));
        for (Map.Entry<String, String> sink : sinks.entrySet()) {
            for (String side : List.of("a", "b")) {
                String name = sink.getKey() + "-" + side;
                String file = "pipeline: " + name + "\n"
                        + "source: {type: postgres, host: localhost, port: " + pg.port() + ", database: exported, user: postgres, password: pw}\n"
                        + OBJECT.formatted(sink.getKey(), side) + sink.getValue().formatted(side);
                Files.writeString(dir.resolve(side.equals("a") ? "pipelines" : "export").resolve(name + ".yaml"), file);
            }
            String name = sink.getKey() + "-b";
            String route = TributaryJar.export(dir.resolve("export").resolve(name + ".yaml"), dir.resolve("data"));
            assertFalse(route.contains("password: pw"), route);
            Files.writeString(dir.resolve("routes").resolve(name + ".camel.yaml"), route);
            jvm.add("-D" + name + ".source.password=pw");
            if (sink.getKey().equals("jdbc")) {
                jvm.add("-D" + name + ".sink.password=pw");
            }
        }

        try (OrderedQueueReader mqA = new OrderedQueueReader(mq.namesrv(), "exp_mq_a", "check_exp_mq_a");
             OrderedQueueReader mqB = new OrderedQueueReader(mq.namesrv(), "exp_mq_b", "check_exp_mq_b");
             TributaryJar jar = TributaryJar.start(dir, KafkaBroker.freePort(), "route-export", jvm.toArray(String[]::new));
             FileSystem fs = hdfs.client()) {
            for (String sink : sinks.keySet()) {
                jar.awaitRunning(sink + "-a");
            }
            int snapshotRows = 240; // 300 rows, every fifth cancelled
            await().atMost(Duration.ofSeconds(120)).until(() -> mqA.received.size() >= snapshotRows && mqB.received.size() >= snapshotRows);

            pg.execute("exported",
                    "UPDATE orders SET amount = amount + 1000 WHERE customer_id = 3",
                    "UPDATE orders SET status = 'cancelled' WHERE id IN (1, 2, 3)",       // leave the filter: deletes
                    "UPDATE orders SET status = 'paid', note = 'back' WHERE id IN (5, 10)", // enter it: inserts
                    "INSERT INTO orders SELECT g, 1 + g % 7, 'paid', g, 'new' FROM generate_series(301, 340) g",
                    "DELETE FROM orders WHERE id IN (20, 21, 22)",
                    "UPDATE orders SET note = 'only a dropped column' WHERE id = 30");
            try (Connection c = pg.connect("exported"); Statement s = c.createStatement()) {
                c.setAutoCommit(false);
                for (int i = 0; i < 20; i++) {
                    s.execute("UPDATE orders SET amount = amount + 1 WHERE id = " + (100 + i % 4));
                }
                c.commit();
            }

            AtomicReference<String> last = new AtomicReference<>();
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(2)).until(() -> {
                Map<Integer, List<String>> a = byQueue(mqA.received);
                Map<Integer, List<String>> b = byQueue(mqB.received);
                last.set("rocketmq a " + mqA.received.size() + ", b " + mqB.received.size());
                return mqA.received.size() > snapshotRows + 40 && a.equals(b);
            });
            assertEquals(byQueue(mqA.received), byQueue(mqB.received), last.get());
            System.out.printf("routes export, rocketmq/canal: %d messages on %d queues, the same from pipeline and route%n",
                    mqA.received.size(), byQueue(mqA.received).size());

            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(3)).until(() -> {
                Map<String, List<String>> a = kafka(kafka, "exp_kafka_a");
                return a.values().stream().mapToInt(List::size).sum() > snapshotRows + 40 && a.equals(kafka(kafka, "exp_kafka_b"));
            });
            Map<String, List<String>> kafkaA = kafka(kafka, "exp_kafka_a");
            assertEquals(kafkaA, kafka(kafka, "exp_kafka_b"));
            System.out.printf("routes export, kafka/debezium: %d records, the same from pipeline and route%n",
                    kafkaA.values().stream().mapToInt(List::size).sum());

            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(2)).ignoreExceptions().until(() -> {
                List<String> a = rows(pg, "copy_jdbc_a");
                return a.size() >= 240 && a.equals(rows(pg, "copy_jdbc_b"));
            });
            List<String> expected = rows(pg, "orders WHERE status <> 'cancelled'", "id, customer_id, status, amount");
            assertEquals(expected, rows(pg, "copy_jdbc_a"), "the pipeline's target equals the source's selected rows");
            assertEquals(expected, rows(pg, "copy_jdbc_b"), "the route's target too");
            System.out.printf("routes export, jdbc: %d rows, the same from pipeline and route and equal to the source%n", expected.size());

            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(2)).ignoreExceptions().until(() -> {
                List<String> a = hdfsRecords(fs, "/exp-hdfs-a");
                return a.size() > snapshotRows + 40 && a.equals(hdfsRecords(fs, "/exp-hdfs-b"));
            });
            System.out.printf("routes export, hdfs: %d records, the same from pipeline and route%n", hdfsRecords(fs, "/exp-hdfs-a").size());
        }
    }

    /** Each queue's messages in order: tag, keys and the canal body without its per-process id and send time. */
    static Map<Integer, List<String>> byQueue(List<MessageExt> messages) throws Exception {
        Map<Integer, List<String>> queues = new TreeMap<>();
        for (MessageExt m : messages) {
            ObjectNode canal = (ObjectNode) JSON.readTree(new String(m.getBody(), StandardCharsets.UTF_8));
            canal.remove(List.of("id", "ts"));
            if (canal.path("type").asText().equals("INSERT") && canal.path("old").isNull()) {
                canal.remove("es"); // a snapshot row's time is its snapshot's
            }
            queues.computeIfAbsent(m.getQueueId(), q -> new ArrayList<>()).add(m.getTags() + " " + m.getKeys() + " " + canal);
        }
        return queues;
    }

    /** Each partition's records in order: key, op, before, after (source block and times are the writer's own). */
    static Map<String, List<String>> kafka(KafkaBroker kafka, String topic) throws Exception {
        Map<String, List<String>> partitions = new TreeMap<>();
        try (TopicsReader reader = new TopicsReader(kafka.bootstrap(), List.of(topic))) {
            for (ConsumerRecord<String, String> r : reader.readUntil(x -> false, Duration.ofSeconds(2)).get(topic)) {
                JsonNode v = r.value() == null ? null : JSON.readTree(r.value());
                JsonNode payload = v == null ? null : v.has("payload") ? v.get("payload") : v;
                String change = payload == null ? "tombstone"
                        : payload.path("op").asText() + " " + payload.path("before") + " " + payload.path("after");
                partitions.computeIfAbsent("p" + r.partition(), x -> new ArrayList<>()).add(r.key() + " " + change);
            }
        }
        return partitions;
    }

    static List<String> rows(Postgres pg, String table) throws Exception {
        return rows(pg, table, "id, customer_id, status, amount");
    }

    static List<String> rows(Postgres pg, String from, String columns) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = pg.connect("exported"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT " + columns + " FROM " + from + " ORDER BY id")) {
            while (rs.next()) {
                rows.add(rs.getInt(1) + "|" + rs.getInt(2) + "|" + rs.getString(3) + "|" + rs.getBigDecimal(4));
            }
        }
        return rows;
    }

    /** The published records, sorted (files roll at different moments on the two sides). */
    static List<String> hdfsRecords(FileSystem fs, String base) throws Exception {
        return PartFiles.readAll(fs, new org.apache.hadoop.fs.Path(base), 1).stream()
                .map(r -> r.op() + " " + new TreeMap<>(r.values())).sorted(Comparator.naturalOrder()).toList();
    }
}
