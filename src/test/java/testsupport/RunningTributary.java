package testsupport;

import app.Tributary;
import org.apache.camel.main.Main;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Tributary started in this JVM on pipeline files written by the test, with its REST API on a free port. */
public final class RunningTributary implements AutoCloseable {

    public final Path dir;
    public final int port;
    private final Main main;

    public RunningTributary(String... pipelineFiles) throws Exception {
        this(pipelineFiles(pipelineFiles));
    }

    /** @param files path relative to the instance's directory ({@code pipelines/}, {@code routes/}, {@code application.properties}) → content */
    public RunningTributary(Map<String, String> files) throws Exception {
        dir = Files.createTempDirectory("tributary-test");
        for (Map.Entry<String, String> f : files.entrySet()) {
            Files.createDirectories(dir.resolve(f.getKey()).getParent());
            Files.writeString(dir.resolve(f.getKey()), f.getValue());
        }
        port = KafkaBroker.freePort();
        main = Tributary.create(new Tributary.Options(dir.resolve("pipelines"), dir.resolve("routes"), dir.resolve("data"), port,
                dir.resolve("application.properties")));
        main.start();
    }

    private static Map<String, String> pipelineFiles(String... pipelineFiles) {
        Map<String, String> files = new LinkedHashMap<>();
        for (int i = 0; i < pipelineFiles.length; i++) {
            files.put("pipelines/p" + i + ".yaml", pipelineFiles[i]);
        }
        return files;
    }

    public HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Any method, with a text body (null = none). */
    public HttpResponse<String> request(String method, String path, String body) throws Exception {
        return request(method, path, body, null);
    }

    /** Any method, with a text body (null = none) and an Authorization header (null = none). */
    public HttpResponse<String> request(String method, String path, String body, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", body.trim().startsWith("{") ? "application/json" : "application/yaml");
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws Exception {
        main.stop();
        Dirs.delete(dir);
    }
}
