package sinks;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import testsupport.Json;
import testsupport.Postgres;
import testsupport.RunningTributary;
import testsupport.TestServers;
import testsupport.Topics;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The formats' marker messages on a real PostgreSQL → Kafka run, each pipeline on a one-partition topic so the order
 * is the log's: Maxwell's {@code bootstrap-start} before a table's snapshot rows and {@code bootstrap-complete} after
 * all of them; OMS {@code HEARTBEAT} records while the stream is idle, at the position reached.
 */
class StreamMarkersIT {

    final Postgres pg = TestServers.postgres();
    final String kafka = TestServers.kafka().bootstrap();

    @Test
    void maxwellBootstrapMarkersFrameTheSnapshotAndOmsHeartbeatsShowAnIdleStream() throws Exception {
        pg.createDatabase("markers");
        pg.execute("markers", "CREATE TABLE a (id int PRIMARY KEY)", "CREATE TABLE b (id int PRIMARY KEY)",
                "INSERT INTO a SELECT generate_series(1, 50)", "INSERT INTO b SELECT generate_series(1, 30)");
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", kafka))) {
            admin.createTopics(List.of(new NewTopic("markers.maxwell", 1, (short) 1), new NewTopic("markers.oms", 1, (short) 1))).all().get();
        }
        String maxwell = """
                pipeline: markers-maxwell
                source: {type: postgres, host: localhost, port: %d, database: markers, user: %s, password: %s}
                objects: [{table: public.a, topic: markers.maxwell}, {table: public.b, topic: markers.maxwell}]
                format: maxwell
                sink: {type: kafka, brokers: "%s"}
                batch: {maxEvents: 20}
                """.formatted(pg.port(), Postgres.USER, Postgres.PASSWORD, kafka);
        String oms = """
                pipeline: markers-oms
                source: {type: postgres, host: localhost, port: %d, database: markers, user: %s, password: %s}
                mode: incremental
                objects: [{table: public.a, topic: markers.oms}]
                format: {type: oms-default, heartbeatIntervalMs: 1000}
                sink: {type: kafka, brokers: "%s"}
                """.formatted(pg.port(), Postgres.USER, Postgres.PASSWORD, kafka);
        try (RunningTributary t = new RunningTributary(maxwell, oms)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> t.get("/api/pipelines/markers-oms").body().contains("\"state\":\"RUNNING\""));
            List<String> types = Topics.readUntil(kafka, "markers.maxwell", r -> r.size() >= 50 + 30 + 4, Duration.ofSeconds(60)).stream()
                    .map(r -> Json.json(r.value())).map(m -> m.get("type").asText() + " " + m.get("table").asText()).toList();
            assertEquals(84, types.size(), types.toString());
            for (String table : List.of("a", "b")) {
                int start = types.indexOf("bootstrap-start " + table);
                int firstRow = types.indexOf("bootstrap-insert " + table);
                int lastRow = types.lastIndexOf("bootstrap-insert " + table);
                assertTrue(start >= 0 && start < firstRow, table + ": the start marker before its rows: " + types);
                assertTrue(types.indexOf("bootstrap-complete " + table) > lastRow, table + ": the complete marker after its rows: " + types);
            }
            assertEquals(1, types.stream().filter("bootstrap-start a"::equals).count());

            await().atMost(Duration.ofSeconds(20)).until(() -> heartbeats(kafka).size() >= 2);
            pg.execute("markers", "INSERT INTO a VALUES (1000)");
            List<ConsumerRecord<String, String>> records = Topics.readUntil(kafka, "markers.oms",
                    r -> r.stream().anyMatch(x -> x.value().contains("\"INSERT\"")) && afterInsert(r) >= 1, Duration.ofSeconds(30));
            JsonNode insert = records.stream().map(r -> Json.json(r.value())).filter(m -> m.get("recordType").asText().equals("INSERT")).findFirst().orElseThrow();
            JsonNode beat = records.stream().map(r -> Json.json(r.value())).filter(m -> m.get("recordType").asText().equals("HEARTBEAT"))
                    .reduce((first, second) -> second).orElseThrow();
            assertEquals(insert.at("/allMetaData/timestamp").asText(), beat.at("/allMetaData/timestamp").asText(),
                    "a heartbeat after the insert stands at the insert's commit time: " + beat);
            System.out.printf("stream markers: maxwell %s; oms heartbeats %d before the insert, then at its commit time %s%n",
                    types.stream().filter(s -> s.startsWith("bootstrap-s") || s.startsWith("bootstrap-c")).toList(),
                    records.stream().takeWhile(r -> !r.value().contains("\"INSERT\"")).count(), beat.at("/allMetaData/timestamp").asText());
        }
    }

    private static List<ConsumerRecord<String, String>> heartbeats(String kafka) {
        return Topics.readUntil(kafka, "markers.oms", r -> r.size() >= 2, Duration.ofSeconds(2)).stream()
                .filter(r -> r.value().contains("\"HEARTBEAT\"")).toList();
    }

    /** Heartbeats after the first INSERT. */
    private static long afterInsert(List<ConsumerRecord<String, String>> records) {
        int i = 0;
        while (i < records.size() && !records.get(i).value().contains("\"INSERT\"")) {
            i++;
        }
        return records.subList(Math.min(i + 1, records.size()), records.size()).stream().filter(r -> r.value().contains("\"HEARTBEAT\"")).count();
    }
}
