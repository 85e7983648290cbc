package runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import testsupport.Postgres;
import testsupport.RunningTributary;
import testsupport.TestServers;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Any route under REST control — a hand-written one through Camel's route controller, a pipeline's with its pipeline's
 * semantics — and route files reloaded without a restart, a broken one reported while the others run on.
 */
class RouteControlIT {

    static final ObjectMapper JSON = new ObjectMapper();

    static String hello(String text) {
        return """
                - route:
                    id: hello
                    from:
                      uri: platform-http:/hello
                      steps:
                        - setBody:
                            constant: "%s"
                """.formatted(text);
    }

    @Test
    void routesAreStartedStoppedSuspendedResumedAndReloaded() throws Exception {
        Postgres pg = TestServers.postgres();
        pg.createDatabase("control");
        pg.execute("control", "CREATE TABLE t (id int PRIMARY KEY)");
        String pipeline = """
                pipeline: control-p
                source: {type: postgres, host: localhost, port: %d, database: control, user: postgres, password: pw}
                mode: incremental
                objects: [{table: public.t, topic: control.t}]
                sink: {type: kafka, brokers: "%s"}
                """.formatted(pg.port(), TestServers.kafka().bootstrap());
        try (RunningTributary t = new RunningTributary(Map.of("routes/hello.camel.yaml", hello("hello v1"), "pipelines/p.yaml", pipeline))) {
            assertEquals("hello v1", t.get("/hello").body());

            assertEquals("Stopped", control(t, "hello", "stop").get("state").asText());
            assertEquals(404, t.get("/hello").statusCode(), "a stopped route serves nothing");
            assertEquals("Started", control(t, "hello", "start").get("state").asText());
            assertEquals("hello v1", t.get("/hello").body());
            assertEquals("Suspended", control(t, "hello", "suspend").get("state").asText());
            assertEquals("Started", control(t, "hello", "resume").get("state").asText());

            // a pipeline's route: its pipeline's stop (graceful, offsets flushed) and start
            await().atMost(Duration.ofSeconds(60)).until(() -> state(t, "control-p").equals("RUNNING"));
            JsonNode stopped = control(t, "control-p", "stop");
            assertTrue(stopped.get("pipeline").asBoolean());
            assertEquals("STOPPED", state(t, "control-p"));
            control(t, "control-p", "start");
            await().atMost(Duration.ofSeconds(60)).until(() -> state(t, "control-p").equals("RUNNING"));

            String apiRoute = null;
            for (JsonNode r : JSON.readTree(t.get("/api/routes").body())) {
                if (r.get("id").asText().startsWith("api-")) {
                    apiRoute = r.get("id").asText();
                }
            }
            assertEquals(409, t.request("POST", "/api/routes/" + apiRoute + "/stop", null).statusCode(), "the API cannot stop itself: " + apiRoute);
            assertEquals(404, t.request("POST", "/api/routes/nope/stop", null).statusCode());
            assertEquals(404, t.request("POST", "/api/routes/hello/explode", null).statusCode());

            // reload: a changed file, a new file, a broken file
            Files.writeString(t.dir.resolve("routes/hello.camel.yaml"), hello("hello v2"));
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> t.get("/hello").body().equals("hello v2"));
            Files.writeString(t.dir.resolve("routes/bye.camel.yaml"), hello("bye").replace("id: hello", "id: bye").replace("/hello", "/bye"));
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> t.get("/bye").statusCode() == 200);
            assertEquals("bye", t.get("/bye").body());
            Files.writeString(t.dir.resolve("routes/broken.camel.yaml"), """
                    - route:
                        id: broken
                        from:
                          uri: platform-http:/broken
                          steps:
                            - noSuchStep: {}
                    """);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                    .until(() -> JSON.readTree(t.get("/api/routes/reload").body()).path("failed").asInt() >= 1);
            JsonNode reload = JSON.readTree(t.get("/api/routes/reload").body());
            System.out.printf("route reload: %s%n", reload);
            assertTrue(reload.get("lastError").asText().contains("noSuchStep"), reload.toString());
            assertEquals("hello v2", t.get("/hello").body(), "the other routes run on");
            assertEquals("RUNNING", state(t, "control-p"));
        }
    }

    static JsonNode control(RunningTributary t, String route, String action) throws Exception {
        var r = t.request("POST", "/api/routes/" + route + "/" + action, null);
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    static String state(RunningTributary t, String pipeline) throws Exception {
        return JSON.readTree(t.get("/api/pipelines/" + pipeline).body()).path("state").asText();
    }
}
