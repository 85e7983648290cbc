package app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code java -jar tributary.jar pipelines …}: a thin client of a running Tributary's REST API (docs/rest-api.md), for
 * shells and scripts. Exit codes: 0 done, 1 refused by the server (no such pipeline, a conflicting state, a failed
 * precheck), 2 bad input (usage, an invalid pipeline document), 3 the server cannot be used (unreachable, token missing
 * or wrong, server error).
 */
final class PipelinesClient {

    static final String USAGE = """
            usage: java -jar tributary.jar pipelines COMMAND [--server URL] [--token TOKEN]
              list [--label L,...]       every pipeline (or those with all these labels): state, mode, labels, source → sink, events, lag
              status NAME                one pipeline in full: position, commit time, lag, counters, snapshot, errors
              create FILE                create a pipeline from a YAML/JSON file (saved on the server, started)
              update NAME FILE           replace its definition; it restarts from its saved offset
              delete NAME [--drop-slot]  stop and remove it (and drop its PostgreSQL replication slot)
              start|stop|pause|resume NAME
              precheck NAME [--skip CHECK,...]
              dead-letters NAME          changes the sink refused for good: table, operation, change id, cause
              replay NAME                send the dead letters again through the running sink
              cluster                    cluster mode: the members, and which node owns which pipeline under which epoch
              --server URL   default $TRIBUTARY_SERVER or http://localhost:8080
              --token TOKEN  default $TRIBUTARY_API_TOKEN (needed when the server sets tributary.api.token)
            exit: 0 done, 1 refused (unknown pipeline, conflicting state, failed precheck), 2 bad input, 3 server unusable""";

    static final int OK = 0;
    static final int REFUSED = 1;
    static final int BAD_INPUT = 2;
    static final int UNUSABLE = 3;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintStream out;
    private final PrintStream err;
    private String server = envOr("TRIBUTARY_SERVER", "http://localhost:8080");
    private String token = envOr("TRIBUTARY_API_TOKEN", null);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private PipelinesClient(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    static int run(List<String> arguments, PrintStream out, PrintStream err) {
        return new PipelinesClient(out, err).run(arguments);
    }

    /** A usage error: the message, then the usage text. */
    private static final class Usage extends Exception {
        Usage(String message) {
            super(message);
        }
    }

    /** The server answered something other than success: exit code and the text to print. */
    private static final class Failed extends Exception {
        final int exit;

        Failed(int exit, String message) {
            super(message);
            this.exit = exit;
        }
    }

    private int run(List<String> arguments) {
        List<String> args = new ArrayList<>(arguments);
        try {
            server = option(args, "--server", server).replaceAll("/+$", "");
            token = option(args, "--token", token);
            boolean dropSlot = args.remove("--drop-slot");
            String skip = option(args, "--skip", null);
            String label = option(args, "--label", null);
            if (args.isEmpty()) {
                throw new Usage("pipelines needs a command");
            }
            String command = args.remove(0);
            return switch (command) {
                case "list" -> {
                    none(args);
                    yield list(label);
                }
                case "status" -> status(name(args, command));
                case "create" -> create(Path.of(one(args, command, "FILE")));
                case "update" -> update(args, command);
                case "delete" -> delete(name(args, command), dropSlot);
                case "start", "stop", "pause", "resume" -> control(name(args, command), command);
                case "precheck" -> precheck(name(args, command), skip);
                case "dead-letters" -> deadLetters(name(args, command));
                case "replay" -> replay(name(args, command));
                case "cluster" -> {
                    none(args);
                    yield cluster();
                }
                case "help", "-h", "--help" -> {
                    out.println(USAGE);
                    yield OK;
                }
                default -> throw new Usage("unknown command '" + command + "'");
            };
        } catch (Usage e) {
            err.println(e.getMessage() + "\n" + USAGE);
            return BAD_INPUT;
        } catch (Failed e) {
            err.println(e.getMessage());
            return e.exit;
        }
    }

    // ---- commands ----

    private int list(String label) throws Failed {
        JsonNode pipelines = call("GET", "/api/pipelines" + (label == null ? "" : "?label=" + encode(label)), null);
        if (pipelines.isEmpty()) {
            out.println(label == null ? "no pipelines" : "no pipelines with label " + label);
            return OK;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{"NAME", "STATE", "MODE", "LABELS", "SOURCE -> SINK", "IN", "OUT", "LAG", "LAST ERROR"});
        for (JsonNode p : pipelines) {
            List<String> labels = new ArrayList<>();
            p.path("labels").forEach(l -> labels.add(l.asText()));
            rows.add(new String[]{p.path("name").asText(), p.path("state").asText(), p.path("mode").asText(), String.join(",", labels),
                    p.at("/source/type").asText() + " -> " + p.at("/sink/type").asText(),
                    TextTable.count(p.at("/events/in")), TextTable.count(p.at("/events/out")), TextTable.lag(p.path("lagSeconds")),
                    p.at("/errors/last").isTextual() ? TextTable.shorten(p.at("/errors/last").asText(), 60) : ""});
        }
        TextTable.print(out, rows, 5, 6, 7);
        return OK;
    }

    private int cluster() throws Failed {
        JsonNode c = call("GET", "/api/cluster", null);
        out.println("asked node " + c.path("node").asText() + "; members:");
        List<String[]> members = new ArrayList<>();
        members.add(new String[]{"NODE", "URL", "PIPELINES"});
        for (JsonNode m : c.path("members")) {
            List<String> names = new ArrayList<>();
            m.path("pipelines").forEach(n -> names.add(n.asText()));
            members.add(new String[]{m.path("node").asText(), m.path("url").asText(""), String.join(",", names)});
        }
        TextTable.print(out, members);
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{"PIPELINE", "OWNER", "EPOCH", "SINCE", "ASSIGNED", "NOTE"});
        for (JsonNode p : c.path("pipelines")) {
            String note = p.path("stopped").asBoolean() ? "stopped by an operator"
                    : p.path("ownerLive").asBoolean() ? "" : p.hasNonNull("owner") ? "owner not a member: moving" : "not claimed yet";
            rows.add(new String[]{p.path("pipeline").asText(), p.path("owner").asText("-"), p.path("epoch").asText("-"),
                    p.path("since").asText("-"), p.path("assignedNode").asText("-"), note});
        }
        TextTable.print(out, rows, 2);
        return OK;
    }

    private int status(String name) throws Failed {
        JsonNode p = call("GET", "/api/pipelines/" + encode(name), null);
        List<String[]> lines = new ArrayList<>();
        lines.add(new String[]{"pipeline", p.path("name").asText()});
        lines.add(new String[]{"state", p.path("state").asText()});
        lines.add(new String[]{"mode", p.path("mode").asText()});
        if (p.hasNonNull("cluster")) {
            JsonNode o = p.at("/cluster/owner");
            lines.add(new String[]{"node", o.isObject() ? o.path("node").asText() + " (epoch " + o.path("epoch").asText() + ", since "
                    + o.path("since").asText() + ")" : "none yet, assigned to " + p.at("/cluster/assignedNode").asText("-")});
        }
        lines.add(new String[]{"source", TextTable.join(p.path("source"))});
        lines.add(new String[]{"sink", TextTable.join(p.path("sink"))});
        lines.add(new String[]{"format", p.path("format").asText()});
        List<String> objects = new ArrayList<>();
        p.path("objects").forEach(o -> objects.add(o.path("table").asText() + (o.hasNonNull("topic") ? " -> " + o.path("topic").asText() : "")));
        lines.add(new String[]{"objects", String.join(", ", objects)});
        JsonNode ev = p.path("events");
        lines.add(new String[]{"events", "in " + TextTable.count(ev.path("in")) + ", out " + TextTable.count(ev.path("out")) + ", filtered "
                + TextTable.count(ev.path("filtered")) + ", deduplicated " + TextTable.count(ev.path("deduplicated")) + ", dead-lettered " + TextTable.count(ev.path("deadLettered"))});
        lines.add(new String[]{"lag", TextTable.lag(p.path("lagSeconds"))});
        lines.add(new String[]{"last commit", p.path("lastCommitTs").asText("-")});
        lines.add(new String[]{"position", p.hasNonNull("position") ? p.path("position").toString() : "-"});
        if (p.hasNonNull("snapshot")) {
            lines.add(new String[]{"snapshot", TextTable.join(p.path("snapshot"))});
        }
        if (p.hasNonNull("engine")) {
            JsonNode e = p.path("engine");
            lines.add(new String[]{"engine", e.path("state").asText() + " since " + e.path("since").asText() + ", "
                    + TextTable.count(e.path("batchesCommitted")) + " batches / " + TextTable.count(e.path("changesCommitted")) + " changes committed"
                    + (e.hasNonNull("error") ? ", error: " + e.path("error").asText() : "")});
        }
        lines.add(new String[]{"errors", TextTable.count(p.at("/errors/count"))});
        for (JsonNode r : p.at("/errors/recent")) {
            lines.add(new String[]{"", r.path("at").asText() + "  " + r.path("error").asText()});
        }
        for (JsonNode n : p.path("notices")) {
            lines.add(new String[]{"notice", n.asText()});
        }
        int width = lines.stream().mapToInt(l -> l[0].length()).max().orElse(0);
        for (String[] l : lines) {
            out.println(TextTable.pad(l[0], width) + "  " + l[1]);
        }
        return OK;
    }

    private int create(Path file) throws Failed, Usage {
        JsonNode p = call("POST", "/api/pipelines", read(file));
        out.println("created " + p.path("name").asText() + " (" + p.path("state").asText() + ")");
        return OK;
    }

    private int update(List<String> args, String command) throws Failed, Usage {
        if (args.size() != 2) {
            throw new Usage(command + " needs NAME and FILE");
        }
        JsonNode p = call("PUT", "/api/pipelines/" + encode(args.get(0)), read(Path.of(args.get(1))));
        out.println("updated " + p.path("name").asText() + " (" + p.path("state").asText() + "), restarting from its saved offset");
        return OK;
    }

    private int delete(String name, boolean dropSlot) throws Failed {
        JsonNode answer = call("DELETE", "/api/pipelines/" + encode(name) + (dropSlot ? "?dropSlot=true" : ""), null);
        out.println("deleted " + name + (answer.hasNonNull("droppedSlot") ? ", dropped replication slot " + answer.path("droppedSlot").asText() : ""));
        return OK;
    }

    private int control(String name, String verb) throws Failed {
        JsonNode p = call("POST", "/api/pipelines/" + encode(name) + "/" + verb, null);
        out.println(name + ": " + p.path("state").asText());
        return OK;
    }

    private int precheck(String name, String skip) throws Failed {
        JsonNode answer = call("POST", "/api/pipelines/" + encode(name) + "/precheck" + (skip == null ? "" : "?skip=" + encode(skip)), null);
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{"RESULT", "CHECK", "DETAIL"});
        for (JsonNode c : answer.path("checks")) {
            rows.add(new String[]{c.path("result").asText(), c.path("check").asText(), c.path("detail").asText()});
        }
        TextTable.print(out, rows);
        boolean passed = answer.path("passed").asBoolean();
        out.println(passed ? "precheck passed" : "precheck failed");
        return passed ? OK : REFUSED;
    }

    private int deadLetters(String name) throws Failed {
        JsonNode answer = call("GET", "/api/pipelines/" + encode(name) + "/dead-letters", null);
        if (answer.path("count").asInt() == 0) {
            out.println(name + ": no dead letters");
            return OK;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{"AT", "TABLE", "OP", "CHANGE", "DESTINATION", "BYTES", "CAUSE"});
        for (JsonNode l : answer.path("letters")) {
            rows.add(new String[]{l.path("at").asText(), l.path("table").asText(), l.path("op").asText(), l.path("changeId").asText(),
                    l.path("destination").asText(), TextTable.count(l.path("valueBytes")), TextTable.shorten(l.path("cause").asText(), 80)});
        }
        TextTable.print(out, rows);
        return OK;
    }

    private int replay(String name) throws Failed {
        JsonNode answer = call("POST", "/api/pipelines/" + encode(name) + "/dead-letters/replay", null);
        out.println(name + ": " + answer.path("replayed").asInt() + " replayed, " + answer.path("remaining").asInt() + " remaining"
                + (answer.path("errors").isEmpty() ? "" : " (" + answer.path("errors").get(0).asText() + ")"));
        return answer.path("remaining").asInt() == 0 ? OK : REFUSED;
    }

    // ---- HTTP ----

    private JsonNode call(String method, String path, String body) throws Failed {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server + path)).timeout(Duration.ofMinutes(2))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", body.trim().startsWith("{") ? "application/json" : "application/yaml");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new Failed(UNUSABLE, "cannot reach " + server + " (is Tributary running there? --server URL)");
        } catch (IOException | IllegalArgumentException e) {
            throw new Failed(UNUSABLE, "cannot talk to " + server + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failed(UNUSABLE, "interrupted");
        }
        JsonNode answer = parse(response.body());
        int code = response.statusCode();
        if (code / 100 == 2) {
            return answer;
        }
        String error = answer.path("error").asText(response.body());
        switch (code) {
            case 400 -> {
                StringBuilder text = new StringBuilder("the server refused the pipeline document:");
                if (answer.isArray()) {
                    answer.forEach(e -> text.append("\n  ").append(e.path("key").asText()).append(": ").append(e.path("reason").asText()));
                } else {
                    text.append(' ').append(error);
                }
                throw new Failed(BAD_INPUT, text.toString());
            }
            case 401 -> throw new Failed(UNUSABLE, token == null
                    ? "the server wants a token: --token TOKEN or TRIBUTARY_API_TOKEN"
                    : "the server refused the token");
            case 404, 409 -> throw new Failed(REFUSED, error);
            default -> throw new Failed(UNUSABLE, "the server answered " + code + ": " + error);
        }
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode().put("error", body);
        }
    }

    // ---- helpers ----

    private static String read(Path file) throws Usage {
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new Usage("no such file: " + file);
        } catch (IOException e) {
            throw new Usage("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** Removes {@code --flag VALUE} from args and returns VALUE, or the default when absent. */
    private static String option(List<String> args, String flag, String otherwise) throws Usage {
        int at = args.indexOf(flag);
        if (at < 0) {
            return otherwise;
        }
        if (at + 1 >= args.size()) {
            throw new Usage(flag + " needs a value");
        }
        args.remove(at);
        return args.remove(at);
    }

    private static void none(List<String> args) throws Usage {
        if (!args.isEmpty()) {
            throw new Usage("unexpected " + String.join(" ", args));
        }
    }

    private static String name(List<String> args, String command) throws Usage {
        return one(args, command, "NAME");
    }

    private static String one(List<String> args, String command, String what) throws Usage {
        if (args.size() != 1) {
            throw new Usage(command + " needs " + what);
        }
        return args.get(0);
    }

    private static String envOr(String name, String otherwise) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? otherwise : value;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

}
