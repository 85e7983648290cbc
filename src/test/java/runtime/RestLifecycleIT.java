package runtime;

import testsupport.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import testsupport.Postgres;
import testsupport.RunningTributary;
import testsupport.TestServers;
import testsupport.Topics;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pipelines created, paused, resumed, changed and deleted over real HTTP, with a real PostgreSQL and Kafka behind. */
class RestLifecycleIT {

    final Postgres pg = TestServers.postgres();
    final String kafka = TestServers.kafka().bootstrap();

    String pipeline(String topic) {
        return """
                pipeline: rest-orders
                source: {type: postgres, host: localhost, port: %d, database: restdb, user: postgres, password: "s3cret-Pw"}
                mode: incremental
                objects: [{table: public.orders, topic: %s}]
                sink: {type: kafka, brokers: "%s"}
                """.formatted(pg.port(), topic, kafka);
    }

    void awaitState(RunningTributary t, String state) {
        awaitState(t, "rest-orders", state);
    }

    void awaitState(RunningTributary t, String pipeline, String state) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> state.equals(Json.json(t.get("/api/pipelines/" + pipeline)).path("state").asText()));
    }

    /** tributary.api.token: every endpoint but health wants the bearer token; nothing about it leaks into answers. */
    @Test
    void bearerTokenGuardsEverythingButHealth() throws Exception {
        try (RunningTributary t = new RunningTributary(Map.of("application.properties", "tributary.api.token=t0ken-Secret\n"))) {
            assertEquals(200, t.get("/api/health").statusCode(), "health stays open for load balancers");
            assertEquals(401, t.get("/metrics").statusCode(), "metrics want the token (Prometheus sends it: authorization.credentials)");
            assertEquals(200, t.request("GET", "/metrics", null, "Bearer t0ken-Secret").statusCode());
            HttpResponse<String> none = t.get("/api/pipelines");
            assertEquals(401, none.statusCode(), none.body());
            assertEquals("Bearer", none.headers().firstValue("WWW-Authenticate").orElse(null));
            assertEquals(401, t.request("GET", "/api/pipelines", null, "Bearer wrong").statusCode());
            assertEquals(401, t.request("POST", "/api/pipelines", pipeline("rest.x"), null).statusCode(), "nothing is created without it");
            HttpResponse<String> ok = t.request("GET", "/api/pipelines", null, "Bearer t0ken-Secret");
            assertEquals(200, ok.statusCode(), ok.body());
            assertEquals("[]", ok.body().replace(" ", ""));
            assertFalse(none.body().contains("t0ken"), none.body());
            assertEquals(401, t.get("/api/openapi.json").statusCode(), "the OpenAPI document too");
            HttpResponse<String> openapi = t.request("GET", "/api/openapi.json", null, "Bearer t0ken-Secret");
            assertEquals(200, openapi.statusCode(), openapi.body());
            JsonNode doc = Json.MAPPER.readTree(openapi.body());
            assertTrue(doc.path("openapi").asText().startsWith("3."), openapi.body());
            for (String path : new String[]{"/api/pipelines", "/api/pipelines/{name}", "/api/pipelines/{name}/pause", "/api/health"}) {
                assertTrue(doc.path("paths").has(path), path + " in " + doc.path("paths").toString());
            }
        }
    }

    /**
     * A pause keeps the database source connected (its slot stays active) and holds the next batch; a resume delivers
     * it at once; a stop while paused delivers nothing of the held batch and commits nothing, so the next start
     * delivers it, once.
     */
    @Test
    void aPauseKeepsTheSourceConnectedAndAStopWhilePausedLosesNothing() throws Exception {
        pg.createDatabase("restpause");
        pg.execute("restpause", "CREATE TABLE t (id int PRIMARY KEY, v text)");
        String yaml = """
                pipeline: rest-pause
                source: {type: postgres, host: localhost, port: %d, database: restpause, user: postgres, password: pw}
                mode: incremental
                objects: [{table: public.t, topic: rest.pause}]
                sink: {type: kafka, brokers: "%s"}
                """.formatted(pg.port(), kafka);
        try (RunningTributary t = new RunningTributary(Map.of())) {
            assertEquals(201, t.request("POST", "/api/pipelines", yaml).statusCode());
            awaitState(t, "rest-pause", "RUNNING");
            pg.execute("restpause", "INSERT INTO t VALUES (1, 'before')");
            Topics.readAtLeast(kafka, "rest.pause", 1, Duration.ofSeconds(60));

            assertEquals(200, t.request("POST", "/api/pipelines/rest-pause/pause", null).statusCode());
            awaitState(t, "rest-pause", "PAUSED");
            pg.execute("restpause", "INSERT INTO t VALUES (2, 'paused')", "INSERT INTO t VALUES (3, 'paused')");
            // three seconds: time enough to deliver them, were the pipeline not paused
            assertEquals(1, Topics.readUntil(kafka, "rest.pause", r -> false, Duration.ofSeconds(3)).size(), "nothing delivered while paused");
            assertTrue(slotActive("restpause", "tributary_rest_pause"), "the source stays connected while paused");
            assertEquals(200, t.request("POST", "/api/pipelines/rest-pause/resume", null).statusCode());
            assertEquals(3, Topics.readAtLeast(kafka, "rest.pause", 3, Duration.ofSeconds(10)).size(), "the held batch goes at once");

            assertEquals(200, t.request("POST", "/api/pipelines/rest-pause/pause", null).statusCode());
            awaitState(t, "rest-pause", "PAUSED");
            pg.execute("restpause", "INSERT INTO t VALUES (4, 'held')", "INSERT INTO t VALUES (5, 'held')");
            // the worst moment for the stop: the server has sent them, the engine holds them at the gate
            String written = walPosition("restpause");
            await().atMost(Duration.ofSeconds(30)).until(() -> sentToSlot("restpause", "tributary_rest_pause", written));
            assertEquals(200, t.request("POST", "/api/pipelines/rest-pause/stop", null).statusCode());
            awaitState(t, "rest-pause", "STOPPED");
            await().atMost(Duration.ofSeconds(30)).until(() -> !slotActive("restpause", "tributary_rest_pause"));
            assertEquals(3, Topics.readUntil(kafka, "rest.pause", r -> false, Duration.ofSeconds(3)).size(), "the held batch was not delivered");
            assertEquals(200, t.request("POST", "/api/pipelines/rest-pause/start", null).statusCode());
            Topics.readAtLeast(kafka, "rest.pause", 5, Duration.ofSeconds(60));
            var all = Topics.readUntil(kafka, "rest.pause", r -> false, Duration.ofSeconds(3));
            assertEquals(5, all.size(), "each change once: " + all.stream().map(r -> r.key()).toList());
        }
    }

    String walPosition(String database) throws Exception {
        try (Connection c = pg.connect(database); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_current_wal_insert_lsn()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Whether the slot's walsender has sent the WAL up to {@code lsn}. */
    boolean sentToSlot(String database, String slot, String lsn) throws Exception {
        try (Connection c = pg.connect(database); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT r.sent_lsn >= '" + lsn + "'::pg_lsn FROM pg_stat_replication r "
                     + "JOIN pg_replication_slots s ON s.active_pid = r.pid WHERE s.slot_name = '" + slot + "'")) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    boolean slotActive(String database, String slot) throws Exception {
        try (Connection c = pg.connect(database); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT active FROM pg_replication_slots WHERE slot_name = '" + slot + "'")) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    @Test
    void createPauseResumeUpdateDelete() throws Exception {
        pg.createDatabase("restdb");
        pg.execute("restdb", "CREATE TABLE orders (id int PRIMARY KEY, v text)");
        try (RunningTributary t = new RunningTributary(Map.of())) {
            HttpResponse<String> invalid = t.request("POST", "/api/pipelines", pipeline("rest.a").replace("topic: rest.a", "topic: rest.a, where: \"v >\""));
            assertEquals(400, invalid.statusCode(), invalid.body());
            assertEquals("objects[0].where", Json.json(invalid).get(0).get("key").asText(), invalid.body());
            assertFalse(invalid.body().contains("s3cret"), "no secret in an answer");

            HttpResponse<String> created = t.request("POST", "/api/pipelines", pipeline("rest.a"));
            assertEquals(201, created.statusCode(), created.body());
            assertFalse(created.body().contains("s3cret"), "no secret in an answer");
            assertEquals(pipeline("rest.a"), Files.readString(t.dir.resolve("pipelines/rest-orders.yaml")), "saved, so a restart keeps it");
            assertEquals(409, t.request("POST", "/api/pipelines", pipeline("rest.a")).statusCode(), "it exists");
            awaitState(t, "RUNNING");
            pg.execute("restdb", "INSERT INTO orders VALUES (1, 'a')", "INSERT INTO orders VALUES (2, 'b')");
            assertEquals(2, Topics.readAtLeast(kafka, "rest.a", 2, Duration.ofSeconds(60)).size());
            await().atMost(Duration.ofSeconds(10)).until(() -> t.get("/metrics").body()
                    .contains("tributary_events_total{fate=\"out\",pipeline=\"rest-orders\"} 2.0"));
            String metrics = t.get("/metrics").body();
            JsonNode routes = Json.json(t.get("/api/routes"));
            JsonNode route = null;
            for (JsonNode r : routes) {
                route = r.get("id").asText().equals("rest-orders") ? r : route;
            }
            assertTrue(route != null && route.get("state").asText().equals("Started") && route.at("/exchanges/completed").asLong() >= 1, routes.toString());
            assertFalse(routes.toString().contains("s3cret"), routes.toString());
            assertTrue(metrics.contains("tributary_lag_seconds{pipeline=\"rest-orders\"}"), metrics);
            assertTrue(metrics.contains("tributary_pipeline_state{pipeline=\"rest-orders\",state=\"RUNNING\"} 1.0"), metrics);
            assertTrue(metrics.contains("tributary_batch_size_count{pipeline=\"rest-orders\"}"), metrics);
            assertTrue(metrics.contains("tributary_sink_latency_seconds_count{pipeline=\"rest-orders\"}"), metrics);

            assertEquals(200, t.request("POST", "/api/pipelines/rest-orders/pause", null).statusCode());
            awaitState(t, "PAUSED");
            assertEquals(409, t.request("POST", "/api/pipelines/rest-orders/pause", null).statusCode(), "paused already");
            pg.execute("restdb", "INSERT INTO orders VALUES (3, 'while paused')");
            HttpResponse<String> resumed = t.request("POST", "/api/pipelines/rest-orders/resume", null);
            assertEquals(200, resumed.statusCode(), resumed.body());
            assertEquals(3, Topics.readAtLeast(kafka, "rest.a", 3, Duration.ofSeconds(60)).size(), "the change made while paused arrives");

            // a JSON document works as well; the pipeline restarts from its saved offset onto the new topic
            String json = Json.MAPPER.writeValueAsString(new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().readTree(pipeline("rest.b")));
            HttpResponse<String> updated = t.request("PUT", "/api/pipelines/rest-orders", json);
            assertEquals(200, updated.statusCode(), updated.body());
            assertEquals(409, t.request("PUT", "/api/pipelines/other", json).statusCode(), "a pipeline cannot be renamed");
            awaitState(t, "RUNNING");
            pg.execute("restdb", "INSERT INTO orders VALUES (4, 'after the update')");
            var onB = Topics.readAtLeast(kafka, "rest.b", 1, Duration.ofSeconds(60));
            assertEquals(1, onB.size(), "only the new change: the update resumed from the saved offset");
            assertTrue(onB.get(0).value().contains("after the update"));

            HttpResponse<String> deleted = t.request("DELETE", "/api/pipelines/rest-orders?dropSlot=true", null);
            assertEquals(200, deleted.statusCode(), deleted.body());
            assertEquals("tributary_rest_orders", Json.json(deleted).get("droppedSlot").asText());
            assertEquals(404, t.get("/api/pipelines/rest-orders").statusCode());
            assertFalse(Files.exists(t.dir.resolve("pipelines/rest-orders.yaml")));
            assertFalse(t.get("/metrics").body().contains("rest-orders"), "a deleted pipeline's meters go with it");
            try (Connection c = pg.connect("restdb"); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'tributary_rest_orders'")) {
                rs.next();
                assertEquals(0, rs.getInt(1), "the slot is gone");
            }
            assertEquals(404, t.request("DELETE", "/api/pipelines/rest-orders", null).statusCode());
        }
    }
}
