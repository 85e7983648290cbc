package runtime;

import testsupport.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import testsupport.MariaDb;
import testsupport.Postgres;
import testsupport.RunningTributary;
import testsupport.TestServers;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Prechecks against the real servers: REST and the command line, passing, failing and skipped checks. */
class PrecheckIT {

    final String kafka = TestServers.kafka().bootstrap();

    static Map<String, String> results(JsonNode body) {
        Map<String, String> r = new java.util.LinkedHashMap<>();
        body.get("checks").forEach(c -> r.put(c.get("check").asText(), c.get("result").asText() + " " + c.get("detail").asText()));
        return r;
    }

    @Test
    void postgresToKafkaOverRest() throws Exception {
        Postgres pg = TestServers.postgres();
        pg.createDatabase("pre");
        pg.execute("pre", "CREATE TABLE orders (id int PRIMARY KEY)");
        String pipeline = """
                pipeline: pre-pg
                source: {type: postgres, host: localhost, port: %d, database: pre, user: postgres, password: "s3cret-Pw"}
                objects: [{table: public.orders, topic: pre.orders}, {table: public.missing, topic: pre.missing}]
                sink: {type: kafka, brokers: "%s"}
                """.formatted(pg.port(), kafka);
        try (RunningTributary t = new RunningTributary(Map.of("pipelines/p.yaml", pipeline))) {
            HttpResponse<String> r = t.request("POST", "/api/pipelines/pre-pg/precheck", null);
            assertEquals(200, r.statusCode(), r.body());
            JsonNode body = Json.MAPPER.readTree(r.body());
            Map<String, String> checks = results(body);
            assertTrue(checks.get("source.connect").startsWith("PASS PostgreSQL"), checks.toString());
            assertEquals("PASS logical", checks.get("source.wal_level"));
            assertTrue(checks.get("source.replication_privilege").startsWith("PASS"), checks.toString());
            assertTrue(checks.get("source.slot").startsWith("PASS slot tributary_pre_pg"), checks.toString());
            assertEquals("FAIL table public.missing does not exist", checks.get("source.tables"));
            assertTrue(checks.get("sink.connect").startsWith("PASS Kafka cluster"), checks.toString());
            assertTrue(checks.get("sink.topics").startsWith("PASS"), checks.toString());
            assertFalse(body.get("passed").asBoolean());
            assertFalse(r.body().contains("s3cret"), "no password in an answer");

            JsonNode skipped = Json.MAPPER.readTree(t.request("POST", "/api/pipelines/pre-pg/precheck?skip=source.tables", null).body());
            assertEquals("SKIPPED skipped by the operator", results(skipped).get("source.tables"));
            assertTrue(skipped.get("passed").asBoolean(), "a failed check the operator skips does not fail the precheck");
            assertEquals(404, t.request("POST", "/api/pipelines/nope/precheck", null).statusCode());
        }
    }

    @Test
    void mariadbOnTheCommandLine() throws Exception {
        MariaDb maria = TestServers.mariadb();
        maria.createDatabase("precli");
        maria.execute("precli", "CREATE TABLE t (id INT PRIMARY KEY)");
        Path file = Files.createTempFile("pipeline", ".yaml");
        Files.writeString(file, """
                pipeline: pre-maria
                source: {type: mariadb, host: 127.0.0.1, port: %d, user: %s, password: %s}
                objects: [{table: precli.t, topic: pre.maria}]
                sink: {type: jdbc, url: "%s", user: %s, password: %s}
                """.formatted(maria.port(), MariaDb.USER, MariaDb.PASSWORD, maria.jdbcUrl("precli"), MariaDb.USER, MariaDb.PASSWORD));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = app.Tributary.run(new String[]{"check", file.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, text);
        assertTrue(text.contains("PASS     source.binlog                  log_bin ON, binlog_format ROW, binlog_row_image FULL"), text);
        assertTrue(text.matches("(?s).*PASS     source.grants .*"), text);
        assertTrue(text.matches("(?s).*PASS     sink.jdbc .*writable.*"), text);
        Files.writeString(file, Files.readString(file).replace(maria.jdbcUrl("precli"), maria.jdbcUrl("no_such_db")));
        out.reset();
        assertEquals(1, app.Tributary.run(new String[]{"check", file.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8), System.err));
        assertTrue(out.toString(StandardCharsets.UTF_8).matches("(?s).*FAIL     sink.jdbc .*"), out.toString(StandardCharsets.UTF_8));
        Files.delete(file);
    }

    /** RocketMQ: sink.topics (exist, writable queues) and sink.ordered (the topic's order flag on its broker). */
    @Test
    void rocketmqTopicsAndTheirOrderedProperty() throws Exception {
        var mq = TestServers.rocketmq();
        mq.createTopic("pre_ordered", 4, true);
        mq.createTopic("pre_unordered", 4, false);
        Postgres pg = TestServers.postgres();
        pg.createDatabase("premq");
        pg.execute("premq", "CREATE TABLE a (id int PRIMARY KEY)", "CREATE TABLE b (id int PRIMARY KEY)");
        Path file = Files.createTempFile("pipeline", ".yaml");
        String pipeline = """
                pipeline: pre-mq
                source: {type: postgres, host: localhost, port: %d, database: premq, user: postgres, password: x}
                objects: [{table: public.a, topic: pre_ordered}%s]
                sink: {type: rocketmq, namesrv: "%s"}
                """;
        Files.writeString(file, pipeline.formatted(pg.port(), "", mq.namesrv()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, app.Tributary.run(new String[]{"check", file.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8), System.err),
                out.toString(StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("PASS     sink.topics                    topics [pre_ordered] exist with writable queues"), text);
        assertTrue(text.matches("(?s).*PASS     sink.ordered                   pre_ordered ordered on \\[broker-a \\(order=true\\)\\].*"), text);

        Files.writeString(file, pipeline.formatted(pg.port(), ", {table: public.b, topic: pre_unordered}", mq.namesrv()));
        out.reset();
        assertEquals(1, app.Tributary.run(new String[]{"check", file.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8), System.err));
        text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.matches("(?s).*FAIL     sink.ordered                   topic 'pre_unordered' is not ordered on \\[broker-a \\(order=false\\)\\].*-o true.*"), text);
        out.reset();
        assertEquals(0, app.Tributary.run(new String[]{"check", file.toString(), "--skip", "sink.ordered"},
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err), "the operator may accept an unordered topic");
        Files.delete(file);
    }
}
