package config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import config.PipelineSpec.ErrorPolicy;
import config.PipelineSpec.JdbcTarget;
import config.PipelineSpec.Mode;
import config.PipelineSpec.ObjectSpec;
import config.PipelineSpec.SinkSpec;
import config.PipelineSpec.SourceSpec;
import formats.Formats;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads pipeline YAML files into {@link PipelineSpec}s. Every problem is reported, not only the first, as
 * {@code file: key: reason} (unknown key, missing key, wrong type, bad value), so an operator fixes a file in one go.
 * Written by hand rather than with Jackson data binding because binding errors name Java types, not keys.
 */
public final class PipelineLoader {

    public static final Set<String> SOURCE_TYPES = Set.of("postgres");
    public static final Set<String> SINK_TYPES = Set.of("kafka", "rocketmq", "jdbc");
    /** Options of the RocketMQ sink (sinks.RocketMqSink reads them; docs/sinks/rocketmq.md). */
    public static final Set<String> ROCKETMQ_OPTIONS = Set.of("sendTimeoutMs", "sendRetries", "retryDelayMs", "maxBatchMessages", "maxBatchBytes");

    private static final Pattern PIPELINE_NAME = Pattern.compile("[a-z][a-z0-9_-]{0,47}");
    private static final Pattern SLOT_NAME = Pattern.compile("[a-z0-9_]{1,63}");
    private static final Pattern KAFKA_TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");
    private static final Pattern SECRET_REF = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");

    private final YAMLMapper yaml = YAMLMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
    private final Function<String, String> environment;

    public PipelineLoader() {
        this(System::getenv);
    }

    /** @param environment resolves {@code ${env:NAME}} references (tests pass their own) */
    public PipelineLoader(Function<String, String> environment) {
        this.environment = environment;
    }

    /** All {@code *.yaml} / {@code *.yml} files of a directory, sorted by name; errors of every file together. */
    public List<PipelineSpec> loadDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(PipelineLoader::isPipelineFile).sorted().toList();
        } catch (IOException e) {
            throw new PipelineConfigException(List.of(dir + ": cannot list the directory: " + e.getMessage()));
        }
        List<PipelineSpec> specs = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        Map<String, Path> names = new LinkedHashMap<>();
        for (Path file : files) {
            try {
                PipelineSpec spec = load(file);
                Path other = names.putIfAbsent(spec.name(), file);
                if (other != null) {
                    errors.add(file + ": pipeline: '" + spec.name() + "' is already defined in " + other);
                } else {
                    specs.add(spec);
                }
            } catch (PipelineConfigException e) {
                errors.addAll(e.errors());
            }
        }
        if (!errors.isEmpty()) {
            throw new PipelineConfigException(errors);
        }
        return specs;
    }

    public static boolean isPipelineFile(Path p) {
        String n = p.getFileName().toString();
        return Files.isRegularFile(p) && (n.endsWith(".yaml") || n.endsWith(".yml")) && !n.endsWith(".camel.yaml");
    }

    public PipelineSpec load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new PipelineConfigException(List.of(file + ": cannot read: " + e.getMessage()));
        }
        return parse(file.toString(), text);
    }

    /** Parses one pipeline document; {@code origin} names it in errors (usually the file path). */
    public PipelineSpec parse(String origin, String text) {
        JsonNode root;
        try {
            root = yaml.readTree(text);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
            throw new PipelineConfigException(List.of(origin + ": " + "(file): not valid YAML" + where + ": " + e.getOriginalMessage()));
        }
        Node node = new Node(origin, new ArrayList<>());
        PipelineSpec spec = node.pipeline(root);
        if (!node.errors.isEmpty()) {
            throw new PipelineConfigException(node.errors);
        }
        return spec;
    }

    /** Walks the YAML tree, collecting errors with the key path where they occur. */
    private final class Node {
        final String origin;
        final List<String> errors;

        Node(String origin, List<String> errors) {
            this.origin = origin;
            this.errors = errors;
        }

        void error(String key, String reason) {
            errors.add(origin + ": " + key + ": " + reason);
        }

        PipelineSpec pipeline(JsonNode root) {
            if (root == null || !root.isObject()) {
                error("(file)", "expected a mapping with the keys pipeline, source, objects, sink");
                return null;
            }
            onlyKeys(root, "", "pipeline", "source", "mode", "objects", "format", "sink", "errors");
            String name = string(root, "", "pipeline", true, null);
            if (name != null && !PIPELINE_NAME.matcher(name).matches()) {
                error("pipeline", "'" + name + "' is not a valid name: lower-case letters, digits, '-' and '_', starting with a letter, at most 48 characters");
                name = null;
            }
            SourceSpec source = source(object(root, "", "source", true), name);
            Mode mode = mode(string(root, "", "mode", false, Mode.FULL_AND_INCREMENTAL.key));
            List<ObjectSpec> objects = objects(root.get("objects"), name);
            String format = oneOf(string(root, "", "format", false, "debezium"), "format", Formats.names());
            SinkSpec sink = sink(object(root, "", "sink", true), name);
            ErrorPolicy errorPolicy = errorPolicy(object(root, "", "errors", false));
            return new PipelineSpec(name, source, mode, objects, format, sink, errorPolicy);
        }

        SourceSpec source(JsonNode n, String pipeline) {
            if (n == null) {
                return null;
            }
            onlyKeys(n, "source.", "type", "host", "port", "database", "user", "password", "slot", "publication", "options");
            String type = oneOf(string(n, "source.", "type", true, null), "source.type", SOURCE_TYPES);
            String host = string(n, "source.", "host", true, null);
            int port = integer(n, "source.", "port", 5432, 1, 65535);
            String database = string(n, "source.", "database", true, null);
            String user = string(n, "source.", "user", true, null);
            String password = secret(string(n, "source.", "password", true, null), "source.password");
            String defaultSlot = pipeline == null ? null : "tributary_" + pipeline.replace('-', '_');
            String slot = identifier(string(n, "source.", "slot", false, defaultSlot), "source.slot");
            String publication = identifier(string(n, "source.", "publication", false, defaultSlot), "source.publication");
            Map<String, String> options = options(n, "source.");
            if (options.keySet().stream().anyMatch(k -> k.toLowerCase().contains("password"))) {
                error("source.options", "a password does not belong in options (it would become part of an endpoint URI): use source.password");
            }
            return new SourceSpec(type, host, port, database, user, password, slot, publication, options);
        }

        List<ObjectSpec> objects(JsonNode n, String pipeline) {
            if (n == null || n.isNull()) {
                error("objects", "missing (a list of tables, e.g. '- table: public.orders')");
                return List.of();
            }
            if (!n.isArray() || n.isEmpty()) {
                error("objects", "expected a non-empty list of tables, got " + describe(n));
                return List.of();
            }
            List<ObjectSpec> objects = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < n.size(); i++) {
                String at = "objects[" + i + "].";
                JsonNode o = n.get(i);
                if (!o.isObject()) {
                    error("objects[" + i + "]", "expected a mapping with 'table' (and 'topic'), got " + describe(o));
                    continue;
                }
                onlyKeys(o, at, "table", "topic", "shardingColumns", "target");
                String table = string(o, at, "table", true, null);
                String topic = string(o, at, "topic", false, pipeline + ".{schema}.{table}");
                if (topic != null && !KAFKA_TOPIC.matcher(topic.replace("{schema}", "s").replace("{table}", "t")).matches()) {
                    error(at + "topic", "'" + topic + "' is not a valid topic name: letters, digits, '.', '_', '-' (and {schema}, {table}), at most 249 characters");
                }
                if (table == null) {
                    continue;
                }
                String[] parts = table.split("\\.", -1);
                if (parts.length != 2 || !TablePatterns.VALID.matcher(parts[1]).matches()
                        || !TablePatterns.VALID.matcher(parts[0]).matches() || parts[0].contains("*")) {
                    error(at + "table", "unknown table pattern '" + table + "': expected schema.table, '*' allowed in the table name (e.g. public.orders, public.order_*)");
                    continue;
                }
                if (!seen.add(table)) {
                    error(at + "table", "'" + table + "' is listed twice");
                }
                String target = string(o, at, "target", false, null);
                if (target != null && !target.matches("[\\p{L}_][\\p{L}\\p{N}_$]*(\\.[\\p{L}_][\\p{L}\\p{N}_$]*)?")) {
                    error(at + "target", "'" + target + "' is not a table name (table or schema.table)");
                }
                objects.add(new ObjectSpec(parts[0], parts[1], topic, columnList(o, at + "shardingColumns"), target));
            }
            return objects;
        }

        SinkSpec sink(JsonNode n, String pipeline) {
            if (n == null) {
                return null;
            }
            String type = oneOf(string(n, "sink.", "type", true, null), "sink.type", SINK_TYPES);
            if ("rocketmq".equals(type)) {
                onlyKeys(n, "sink.", "type", "namesrv", "producerGroup", "tag", "trace", "accessKey", "secretKey",
                        "autoCreateTopics", "sendOkOnly", "options");
                String namesrv = string(n, "sink.", "namesrv", true, null);
                String group = string(n, "sink.", "producerGroup", false, pipeline == null ? null : "tributary_" + pipeline.replace('-', '_'));
                String accessKey = string(n, "sink.", "accessKey", false, null);
                String secretKey = secret(string(n, "sink.", "secretKey", false, null), "sink.secretKey");
                if ((accessKey == null) != (secretKey == null)) {
                    error(accessKey == null ? "sink.accessKey" : "sink.secretKey", "accessKey and secretKey go together (RocketMQ ACL)");
                }
                Map<String, String> options = options(n, "sink.");
                options.forEach((k, v) -> {
                    if (!ROCKETMQ_OPTIONS.contains(k)) {
                        error("sink.options." + k, "unknown option (allowed: " + String.join(", ", ROCKETMQ_OPTIONS.stream().sorted().toList()) + ")");
                    } else if (!v.matches("[1-9][0-9]{0,8}|0")) {
                        error("sink.options." + k, "expected a whole number, got '" + v + "'");
                    }
                });
                return new SinkSpec(type, null, namesrv, group, string(n, "sink.", "tag", false, null),
                        bool(n, "sink.", "trace", false), accessKey, secretKey, bool(n, "sink.", "autoCreateTopics", false),
                        bool(n, "sink.", "sendOkOnly", true), options, null);
            }
            if ("jdbc".equals(type)) {
                onlyKeys(n, "sink.", "type", "url", "user", "password", "autoCreate", "autoEvolve", "batchSize", "noPrimaryKey");
                String url = string(n, "sink.", "url", true, null);
                if (url != null && !url.startsWith("jdbc:")) {
                    error("sink.url", "expected a JDBC URL (jdbc:postgresql://..., jdbc:mysql://..., jdbc:mariadb://..., jdbc:sqlserver://...)");
                }
                String noKey = oneOf(string(n, "sink.", "noPrimaryKey", false, "fail"), "sink.noPrimaryKey", Set.of("fail", "insert"));
                JdbcTarget jdbc = new JdbcTarget(url, string(n, "sink.", "user", true, null),
                        secret(string(n, "sink.", "password", true, null), "sink.password"),
                        bool(n, "sink.", "autoCreate", false), bool(n, "sink.", "autoEvolve", false),
                        integer(n, "sink.", "batchSize", 1000, 1, 100_000), noKey);
                return new SinkSpec(type, null, null, null, null, false, null, null, false, true, Map.of(), jdbc);
            }
            onlyKeys(n, "sink.", "type", "brokers", "options");
            String brokers = string(n, "sink.", "brokers", true, null);
            return new SinkSpec(type, brokers, null, null, null, false, null, null, false, true, options(n, "sink."), null);
        }

        boolean bool(JsonNode parent, String prefix, String key, boolean defaultValue) {
            JsonNode n = parent.get(key);
            if (n == null || n.isNull()) {
                return defaultValue;
            }
            if (!n.isBoolean()) {
                error(prefix + key, "expected true or false, got " + describe(n));
                return defaultValue;
            }
            return n.booleanValue();
        }

        List<String> columnList(JsonNode parent, String key) {
            JsonNode n = parent.get(key.substring(key.lastIndexOf('.') + 1));
            if (n == null || n.isNull()) {
                return List.of();
            }
            if (!n.isArray() || n.isEmpty()) {
                error(key, "expected a non-empty list of column names, got " + describe(n));
                return List.of();
            }
            List<String> columns = new ArrayList<>();
            for (JsonNode c : n) {
                if (!c.isTextual() || c.asText().isBlank()) {
                    error(key, "expected column names, got " + describe(c));
                } else {
                    columns.add(c.asText());
                }
            }
            return columns;
        }

        ErrorPolicy errorPolicy(JsonNode n) {
            ErrorPolicy defaults = new ErrorPolicy(10, 1000, 60_000);
            if (n == null) {
                return defaults;
            }
            onlyKeys(n, "errors.", "retries", "retryDelayMs", "maxRetryDelayMs");
            return new ErrorPolicy(
                    integer(n, "errors.", "retries", defaults.retries(), 0, 1_000_000),
                    integer(n, "errors.", "retryDelayMs", (int) defaults.retryDelayMs(), 1, 3_600_000),
                    integer(n, "errors.", "maxRetryDelayMs", (int) defaults.maxRetryDelayMs(), 1, 3_600_000));
        }

        Mode mode(String value) {
            if (value == null) {
                return Mode.FULL_AND_INCREMENTAL;
            }
            for (Mode m : Mode.values()) {
                if (m.key.equals(value)) {
                    return m;
                }
            }
            error("mode", "'" + value + "' is not one of " + Arrays.stream(Mode.values()).map(m -> m.key).toList());
            return null;
        }

        // ---- typed accessors: each reports its own error and returns null / the default ----

        void onlyKeys(JsonNode n, String prefix, String... allowed) {
            Set<String> known = Set.of(allowed);
            for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!known.contains(key)) {
                    error(prefix + key, "unknown key (allowed here: " + String.join(", ", allowed) + ")");
                }
            }
        }

        JsonNode object(JsonNode parent, String prefix, String key, boolean required) {
            JsonNode n = parent.get(key);
            if (n == null || n.isNull()) {
                if (required) {
                    error(prefix + key, "missing");
                }
                return null;
            }
            if (!n.isObject()) {
                error(prefix + key, "expected a mapping, got " + describe(n));
                return null;
            }
            return n;
        }

        String string(JsonNode parent, String prefix, String key, boolean required, String defaultValue) {
            JsonNode n = parent.get(key);
            if (n == null || n.isNull()) {
                if (required) {
                    error(prefix + key, "missing");
                }
                return defaultValue;
            }
            if (!n.isValueNode() || n.isBoolean()) {
                // a secret's value is never echoed, even when it has the wrong type
                boolean secret = key.contains("password") || key.contains("secret");
                error(prefix + key, "expected a text value, got " + (secret ? "a " + n.getNodeType().name().toLowerCase() : describe(n)));
                return null;
            }
            String value = n.asText();
            if (value.isBlank()) {
                error(prefix + key, "must not be empty");
                return null;
            }
            return value;
        }

        int integer(JsonNode parent, String prefix, String key, int defaultValue, int min, int max) {
            JsonNode n = parent.get(key);
            if (n == null || n.isNull()) {
                return defaultValue;
            }
            if (!n.canConvertToInt() || !n.isIntegralNumber()) {
                error(prefix + key, "expected a whole number, got " + describe(n));
                return defaultValue;
            }
            int v = n.intValue();
            if (v < min || v > max) {
                error(prefix + key, v + " is out of range [" + min + ", " + max + "]");
            }
            return v;
        }

        Map<String, String> options(JsonNode parent, String prefix) {
            JsonNode n = object(parent, prefix, "options", false);
            Map<String, String> options = new LinkedHashMap<>();
            if (n == null) {
                return options;
            }
            n.fields().forEachRemaining(e -> {
                if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                    error(prefix + "options." + e.getKey(), "expected a text, number or boolean, got " + describe(e.getValue()));
                } else {
                    options.put(e.getKey(), e.getValue().asText());
                }
            });
            return options;
        }

        String oneOf(String value, String key, Set<String> allowed) {
            if (value != null && !allowed.contains(value)) {
                error(key, "'" + value + "' is not supported (supported: " + allowed.stream().sorted().collect(Collectors.joining(", ")) + ")");
                return null;
            }
            return value;
        }

        String identifier(String value, String key) {
            if (value != null && !SLOT_NAME.matcher(value).matches()) {
                error(key, "'" + value + "' is not valid: lower-case letters, digits and '_', at most 63 characters");
                return null;
            }
            return value;
        }

        /** Resolves {@code ${env:NAME}}; the error names the variable, never the value. */
        String secret(String value, String key) {
            if (value == null) {
                return null;
            }
            Matcher m = SECRET_REF.matcher(value);
            StringBuilder resolved = new StringBuilder();
            while (m.find()) {
                String v = environment.apply(m.group(1));
                if (v == null) {
                    error(key, "environment variable " + m.group(1) + " is not set");
                    return null;
                }
                m.appendReplacement(resolved, Matcher.quoteReplacement(v));
            }
            m.appendTail(resolved);
            return resolved.toString();
        }

        String describe(JsonNode n) {
            if (n.isObject()) {
                return "a mapping";
            }
            if (n.isArray()) {
                return "a list";
            }
            if (n.isTextual()) {
                return "text '" + n.asText() + "'";
            }
            return n.getNodeType().name().toLowerCase() + " " + n.asText();
        }
    }
}
