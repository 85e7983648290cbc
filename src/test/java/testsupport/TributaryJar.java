package testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * The production fat JAR ({@code target/tributary.jar}) in its own JVM on a test directory ({@code pipelines/},
 * {@code routes/}, {@code data/}), its REST API on a free port; output in {@code target/jar-<name>.log}.
 */
public final class TributaryJar implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    public final Process process;
    public final int port;

    private TributaryJar(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts the JAR on {@code dir}; {@code jvmArgs} go before {@code -jar} (e.g. {@code -Dtributary.faults.halt=...}). */
    public static TributaryJar start(Path dir, int port, String name, String... jvmArgs) throws Exception {
        return start(dir, port, name, List.of(), jvmArgs);
    }

    /**
     * Starts the JAR with plug-in JARs beside it on the class path ({@code java -cp tributary.jar:plugin.jar
     * app.Tributary run ...}, as docs/architecture.md tells operators to).
     */
    public static TributaryJar start(Path dir, int port, String name, List<Path> plugins, String... jvmArgs) throws Exception {
        return launch(dir, port, name, plugins, List.of(), jvmArgs);
    }

    /** Starts the JAR with more {@code run} arguments (e.g. {@code --cluster URI --node NAME --properties FILE}). */
    public static TributaryJar startWith(Path dir, int port, String name, List<String> runArgs, String... jvmArgs) throws Exception {
        return launch(dir, port, name, List.of(), runArgs, jvmArgs);
    }

    private static TributaryJar launch(Path dir, int port, String name, List<Path> plugins, List<String> runArgs, String... jvmArgs) throws Exception {
        Path jar = Path.of("target/tributary.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("the fat JAR is built before the integration tests (mvn verify)");
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m"));
        command.addAll(List.of(jvmArgs));
        if (plugins.isEmpty()) {
            command.addAll(List.of("-jar", jar.toString()));
        } else {
            List<String> classPath = new ArrayList<>(List.of(jar.toString()));
            plugins.forEach(p -> classPath.add(p.toString()));
            command.addAll(List.of("-cp", String.join(java.io.File.pathSeparator, classPath), "app.Tributary"));
        }
        command.addAll(List.of("run",
                "--pipelines", dir.resolve("pipelines").toString(), "--routes", dir.resolve("routes").toString(),
                "--data", dir.resolve("data").toString(), "--port", String.valueOf(port)));
        command.addAll(runArgs);
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(Path.of("target", "jar-" + name + ".log").toFile()).start();
        return new TributaryJar(p, port);
    }

    /** The fat JAR's {@code routes export FILE --data DIR}: the Camel YAML route it prints (exit 0 asserted). */
    public static String export(Path file, Path data) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", "target/tributary.jar",
                "routes", "export", file.toString(), "--data", data.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("routes export " + file + " failed: " + out);
        }
        return out;
    }

    /** Waits until the REST API answers ({@code GET /api/health}: 200 or 503; the HTTP server says 404 before the routes are up). */
    public TributaryJar awaitHealthy() {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/health"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).statusCode() != 404);
        return this;
    }

    /** Waits until the pipeline's state is RUNNING (the source reads). */
    public TributaryJar awaitRunning(String pipeline) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> "RUNNING".equals(status(pipeline).path("state").asText()));
        return this;
    }

    /** The pipeline's status document, or an empty object while the server does not answer. */
    public JsonNode status(String pipeline) {
        return status(pipeline, false);
    }

    /** Cluster mode: the pipeline's status as this node sees it, not passed on to the node that owns it. */
    public JsonNode localStatus(String pipeline) {
        return status(pipeline, true);
    }

    private JsonNode status(String pipeline, boolean local) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/pipelines/" + pipeline))
                    .timeout(Duration.ofSeconds(5));
            if (local) {
                request.header("X-Tributary-Forwarded", "test");
            }
            HttpResponse<String> r = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(r.body());
        } catch (Exception e) {
            return JSON.createObjectNode();
        }
    }

    /** The pipeline's {@code events.out}: changes the sink acknowledged in this run. */
    public long delivered(String pipeline) {
        return status(pipeline).at("/events/out").asLong();
    }

    /** Waits for the process to end by itself (e.g. halted by a fault point); its exit status. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the JAR did not end within " + timeout);
        }
        return process.exitValue();
    }

    /** SIGSTOP (true) or SIGCONT (false): the JVM frozen as a long GC pause or a stalled machine would, its sockets open. */
    public void freeze(boolean stop) throws Exception {
        Process signal = new ProcessBuilder("kill", stop ? "-STOP" : "-CONT", String.valueOf(process.pid())).inheritIO().start();
        if (signal.waitFor() != 0) {
            throw new IllegalStateException("kill " + (stop ? "-STOP" : "-CONT") + " " + process.pid() + " failed");
        }
    }

    /** Whether the JVM is stopped (SIGSTOP, e.g. by itself at a {@code tributary.faults.freeze} point): state T in /proc. */
    public boolean isStopped() {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("T");
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** SIGKILL: no shutdown hook, no offset flush. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(60, TimeUnit.SECONDS);
    }

    /** SIGTERM: Camel's graceful shutdown. */
    public void terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            terminate();
        }
    }
}
