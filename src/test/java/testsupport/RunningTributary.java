package testsupport;

import app.Tributary;
import org.apache.camel.main.Main;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

/** Tributary started in this JVM on pipeline files written by the test, with its REST API on a free port. */
public final class RunningTributary implements AutoCloseable {

    public final Path dir;
    public final int port;
    private final Main main;

    public RunningTributary(String... pipelineFiles) throws Exception {
        dir = Files.createTempDirectory("tributary-test");
        Files.createDirectories(dir.resolve("pipelines"));
        for (int i = 0; i < pipelineFiles.length; i++) {
            Files.writeString(dir.resolve("pipelines").resolve("p" + i + ".yaml"), pipelineFiles[i]);
        }
        port = KafkaBroker.freePort();
        main = Tributary.create(new Tributary.Options(dir.resolve("pipelines"), dir.resolve("routes"), dir.resolve("data"), port));
        main.start();
    }

    public HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws Exception {
        main.stop();
        Dirs.delete(dir);
    }
}
