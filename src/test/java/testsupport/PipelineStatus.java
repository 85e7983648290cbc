package testsupport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.awaitility.Awaitility.await;

/** A pipeline's status as a Tributary on a port answers it ({@code GET /api/pipelines/NAME}). */
public final class PipelineStatus {

    private PipelineStatus() {
    }

    public static void awaitRunning(int port, String pipeline) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> get(port, pipeline).contains("\"state\":\"RUNNING\""));
    }

    /** Changes the sink acknowledged ({@code events.out}); 0 while the status cannot be read. */
    public static long delivered(int port, String pipeline) {
        try {
            return Json.json(get(port, pipeline)).at("/events/out").asLong();
        } catch (Exception | AssertionError e) {
            return 0;
        }
    }

    /** The whole status. */
    public static com.fasterxml.jackson.databind.JsonNode status(int port, String pipeline) {
        try {
            return Json.json(get(port, pipeline));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String get(int port, String pipeline) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/pipelines/" + pipeline)).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.body();
    }
}
