package sinks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import testsupport.KafkaBroker;
import testsupport.Postgres;
import testsupport.TestServers;
import testsupport.TributaryJar;

import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A sink added as a plug-in: the example {@code lines} sink (package {@code examples.sinks.lines}, nothing outside it
 * names it) packed into its own JAR and put beside the shipped fat JAR on the class path. Its keys are validated with
 * their key paths, its precheck and status fields show, and a PostgreSQL pipeline delivers through it.
 */
class SinkPluginIT {

    static final ObjectMapper JSON = new ObjectMapper();
    final Postgres pg = TestServers.postgres();

    /** The example plug-in as its author ships it: its classes and its META-INF/services registration, nothing else. */
    static Path pluginJar() throws Exception {
        Path classes = Path.of("target/test-classes");
        Path pkg = classes.resolve("examples/sinks/lines");
        Path jar = Path.of("target/plugins/lines-sink.jar");
        Files.createDirectories(jar.getParent());
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file);
             Stream<Path> all = Files.list(pkg)) {
            for (Path c : all.filter(p -> p.toString().endsWith(".class")).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(c).toString().replace('\\', '/')));
                out.write(Files.readAllBytes(c));
            }
            out.putNextEntry(new JarEntry("META-INF/services/config.SinkType"));
            out.write(Files.readAllBytes(pkg.resolve("META-INF/services/config.SinkType")));
        }
        return jar;
    }

    static HttpResponse<String> send(int port, String method, String path, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/yaml").build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The file replayed per key: the last change of each id wins, a delete removes it. */
    static Map<Integer, String> replay(Path file) throws Exception {
        Map<Integer, String> rows = new TreeMap<>();
        if (!Files.exists(file)) {
            return rows;
        }
        for (String line : Files.readAllLines(file)) {
            JsonNode change = JSON.readTree(line);
            if ("d".equals(change.path("op").asText())) {
                rows.remove(change.at("/before/id").asInt());
            } else {
                rows.put(change.at("/after/id").asInt(), change.at("/after/v").asText());
            }
        }
        return rows;
    }

    Map<Integer, String> source() throws Exception {
        Map<Integer, String> rows = new TreeMap<>();
        try (Connection c = pg.connect("plugsrc"); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id, v FROM t")) {
            while (rs.next()) {
                rows.put(rs.getInt(1), rs.getString(2));
            }
        }
        return rows;
    }

    @Test
    void aSinkFromItsOwnJarIsValidatedCheckedShownAndDeliversAPipeline() throws Exception {
        Path plugin = pluginJar();
        pg.createDatabase("plugsrc");
        pg.execute("plugsrc", "CREATE TABLE t (id int PRIMARY KEY, v text NOT NULL)",
                "INSERT INTO t SELECT g, 'row ' || g FROM generate_series(1, 500) g");
        Path dir = Files.createTempDirectory("tributary-plugin");
        Path out = dir.resolve("out.jsonl");
        Files.createDirectories(dir.resolve("pipelines"));
        Files.writeString(dir.resolve("pipelines/lines.yaml"), """
                pipeline: to-lines
                source: {type: postgres, host: localhost, port: %d, database: plugsrc, user: postgres, password: pw}
                mode: full-and-incremental
                objects: [{table: public.t}]
                sink: {type: lines, file: "%s"}
                """.formatted(pg.port(), out));
        try (TributaryJar jar = TributaryJar.start(dir, KafkaBroker.freePort(), "plugin-lines", List.of(plugin))) {
            jar.awaitRunning("to-lines");
            JsonNode status = jar.status("to-lines");
            assertEquals("lines", status.at("/sink/type").asText());
            assertEquals(out.toString(), status.at("/sink/file").asText(), "the plug-in's own status fields");

            HttpResponse<String> precheck = send(jar.port, "POST", "/api/pipelines/to-lines/precheck", null);
            assertTrue(precheck.body().contains("\"check\":\"sink.file\",\"result\":\"PASS\""), precheck.body());

            HttpResponse<String> bad = send(jar.port, "POST", "/api/pipelines", """
                    pipeline: bad-lines
                    source: {type: postgres, host: localhost, port: %d, database: plugsrc, user: postgres, password: pw}
                    objects: [{table: public.t}]
                    sink: {type: lines, file: relative.jsonl, rotate: daily}
                    """.formatted(pg.port()));
            assertEquals(400, bad.statusCode(), bad.body());
            assertTrue(bad.body().contains("{\"key\":\"sink.file\",\"reason\":\"'relative.jsonl' must be an absolute path\"}"), bad.body());
            assertTrue(bad.body().contains("{\"key\":\"sink.rotate\",\"reason\":\"unknown key (allowed here: type, file)\"}"), bad.body());

            pg.execute("plugsrc", "UPDATE t SET v = v || ' updated' WHERE id % 5 = 0", "DELETE FROM t WHERE id % 7 = 0",
                    "INSERT INTO t SELECT g, 'new ' || g FROM generate_series(501, 600) g");
            Map<Integer, String> expected = source();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> replay(out).equals(expected));
            System.out.printf("lines plug-in: %d rows in the file equal the source (%d lines)%n", expected.size(), Files.readAllLines(out).size());
        }
    }
}
