package config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import config.PipelineSpec.BatchPolicy;
import config.PipelineSpec.ErrorPolicy;
import config.PipelineSpec.Mode;
import config.PipelineSpec.ObjectSpec;
import config.PipelineSpec.SinkSpec;
import config.PipelineSpec.SourceSpec;
import formats.FormatSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads pipeline YAML files into {@link PipelineSpec}s. Every problem is reported, not only the first, as
 * {@code file: key: reason} (unknown key, missing key, wrong type, bad value), so an operator fixes a file in one go.
 * Written by hand rather than with Jackson data binding because binding errors name Java types, not keys.
 */
public final class PipelineLoader {


    private static final Pattern PIPELINE_NAME = Pattern.compile("[a-z][a-z0-9_-]{0,47}");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");
    private static final Pattern KAFKA_TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");

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
        Node node = new Node(origin, environment);
        PipelineSpec spec = node.pipeline(root);
        if (!node.errors.isEmpty()) {
            throw new PipelineConfigException(node.errors);
        }
        return spec;
    }

    /**
     * A pipeline file's {@code objects:} list alone (YAML text), validated as in a pipeline file; source-specific table
     * keys are not accepted. {@code pipeline} names the default topics.
     */
    public List<ObjectSpec> parseObjects(String origin, String pipeline, String text) {
        JsonNode listed;
        try {
            listed = yaml.readTree(text);
        } catch (JsonProcessingException e) {
            throw new PipelineConfigException(List.of(origin + ": objects: not valid YAML: " + e.getOriginalMessage()));
        }
        Node node = new Node(origin, environment);
        List<ObjectSpec> objects = node.objects(listed, pipeline, null, Mode.FULL_AND_INCREMENTAL);
        if (!node.errors.isEmpty()) {
            throw new PipelineConfigException(node.errors);
        }
        return objects;
    }

    /**
     * A loaded pipeline file's objects as written: its {@code objects:} list followed by the objects of its
     * {@code objectsCsv} file, each row as the object the loader reads it as.
     */
    public static com.fasterxml.jackson.databind.node.ArrayNode objectsNode(JsonNode root, Path file) {
        Node node = new Node(file.toString(), name -> null);
        JsonNode listed = root.get("objects");
        String csv = root.path("objectsCsv").asText(null);
        if (csv != null) {
            listed = ProcessingLoader.objectsFromCsv(node, node.base, csv, listed, root.path("sink").path("type").asText(""));
        }
        if (!node.errors.isEmpty()) {
            throw new PipelineConfigException(node.errors);
        }
        return listed != null && listed.isArray() ? ((com.fasterxml.jackson.databind.node.ArrayNode) listed).deepCopy()
                : com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
    }

    /** Walks the YAML tree, collecting errors with the key path where they occur. The pipeline's own sections; the sink's by its plug-in ({@link SinkType}). */
    private static final class Node extends YamlFields {

        /** The pipeline file's folder: relative file names in it (objectsCsv) are read from there. */
        private final Path base;

        Node(String origin, Function<String, String> environment) {
            super(origin, environment);
            Path folder;
            try {
                folder = Path.of(origin).toAbsolutePath().getParent();
            } catch (java.nio.file.InvalidPathException e) {
                folder = null;
            }
            base = folder;
        }

        PipelineSpec pipeline(JsonNode root) {
            if (root == null || !root.isObject()) {
                error("(file)", "expected a mapping with the keys pipeline, source, objects, sink");
                return null;
            }
            onlyKeys(root, "", "pipeline", "source", "mode", "startTimestamp", "objects", "objectsCsv", "format", "sink", "errors", "batch", "dedup", "snapshot",
                    "labels");
            String name = string(root, "", "pipeline", true, null);
            if (name != null && !PIPELINE_NAME.matcher(name).matches()) {
                error("pipeline", "'" + name + "' is not a valid name: lower-case letters, digits, '-' and '_', starting with a letter, at most 48 characters");
                name = null;
            }
            SourceSpec source = source(object(root, "", "source", true), name);
            Mode mode = mode(string(root, "", "mode", false, Mode.FULL_AND_INCREMENTAL.key));
            String refused = source == null || mode == null ? null : SourceTypes.get(source.type()).refusesMode(mode);
            if (refused != null) {
                error("mode", refused);
            }
            JsonNode listed = root.get("objects");
            String csv = string(root, "", "objectsCsv", false, null);
            if (csv != null) {
                listed = ProcessingLoader.objectsFromCsv(this, base, csv, listed, root.path("sink").path("type").asText(""));
            }
            List<ObjectSpec> objects = objects(listed, name, source == null ? null : SourceTypes.get(source.type()), mode);
            FormatSpec format = ProcessingLoader.format(this, root.get("format"));
            if (format.wholeTransactions() && source != null && !SourceTypes.get(source.type()).reportsTransactionEnds()) {
                error("format.transactionSequence", "shareplex's meta.seq/size/idx need each transaction whole, from a source that"
                        + " reports where transactions end (" + SourceTypes.names().stream().filter(t -> SourceTypes.get(t).reportsTransactionEnds())
                        .collect(java.util.stream.Collectors.joining(", ")) + "); " + source.type() + " does not");
            }
            SinkSpec sink = sink(object(root, "", "sink", true), name);
            ErrorPolicy errorPolicy = errorPolicy(object(root, "", "errors", false));
            BatchPolicy batch = batchPolicy(object(root, "", "batch", false));
            Instant startTimestamp = startTimestamp(string(root, "", "startTimestamp", false, null), mode, source);
            if (format.ddl() && sink != null && !SinkTypes.get(sink.type()).carriesDdl()) {
                error("format.ddl", "DDL messages go to message queues (" + SinkTypes.names().stream()
                        .filter(t -> SinkTypes.get(t).carriesDdl()).collect(java.util.stream.Collectors.joining(", ")) + "); the "
                        + sink.type() + " sink follows schema changes itself");
            }
            PipelineSpec.Dedup dedup = ProcessingLoader.dedup(this, object(root, "", "dedup", false));
            PipelineSpec.Snapshot snapshot = snapshot(object(root, "", "snapshot", false), source, mode);
            return new PipelineSpec(name, source, mode, startTimestamp, objects, format, sink, errorPolicy, batch, dedup, snapshot,
                    labels(root.get("labels")));
        }

        /** {@code labels: [billing, eu]}: distinct tags of letters, digits, '-', '_' and '.', as a query parameter takes them. */
        List<String> labels(JsonNode n) {
            if (n == null || n.isNull()) {
                return List.of();
            }
            if (!n.isArray()) {
                error("labels", "expected a list of labels, e.g. [billing, eu], got " + describe(n));
                return List.of();
            }
            List<String> labels = new ArrayList<>();
            for (int i = 0; i < n.size(); i++) {
                JsonNode l = n.get(i);
                if (!l.isTextual() || !LABEL.matcher(l.asText()).matches()) {
                    error("labels[" + i + "]", describe(l) + " is not a label: 1 to 63 letters, digits, '-', '_' or '.', starting with a letter or digit");
                } else if (labels.contains(l.asText())) {
                    error("labels[" + i + "]", "'" + l.asText() + "' is listed twice");
                } else {
                    labels.add(l.asText());
                }
            }
            return labels;
        }

        /** The {@code sink:} section: its type picks the plug-in that reads the rest. */
        SinkSpec sink(JsonNode n, String pipeline) {
            if (n == null) {
                return null;
            }
            String type = oneOf(string(n, "sink.", "type", true, null), "sink.type", SinkTypes.names());
            if (type == null) {
                return null;
            }
            return new SinkSpec(type, SinkTypes.get(type).read(new Section(this, n, "sink", pipeline)));
        }

        /**
         * Where the source can seek by time (a MySQL-family binlog) any instant; PostgreSQL streams from its slot's
         * position only, so a past instant is refused rather than pretended.
         */
        Instant startTimestamp(String value, Mode mode, SourceSpec source) {
            if (value == null) {
                return null;
            }
            Instant at;
            try {
                at = java.time.OffsetDateTime.parse(value).toInstant();
            } catch (java.time.format.DateTimeParseException e) {
                error("startTimestamp", "'" + value + "' is not an ISO-8601 date-time with offset (e.g. 2026-11-22T08:00:00Z)");
                return null;
            }
            if (mode != Mode.INCREMENTAL) {
                error("startTimestamp", "applies to mode incremental only (full and full-and-incremental start with a snapshot)");
            } else if (source != null && !SourceTypes.get(source.type()).seeksByTime() && at.isBefore(Instant.now())) {
                error("startTimestamp", source.type() + " streams from its stored position only (it cannot seek its log by time): a past startTimestamp ("
                        + value + ") cannot be honoured; remove it, or use mode full-and-incremental");
            }
            return at;
        }

        /** The {@code source:} section: its type picks the plug-in that reads the rest. */
        SourceSpec source(JsonNode n, String pipeline) {
            if (n == null) {
                return null;
            }
            String type = oneOf(string(n, "source.", "type", true, null), "source.type", SourceTypes.names());
            if (type == null) {
                return null;
            }
            return new SourceSpec(type, SourceTypes.get(type).read(new Section(this, n, "source", pipeline)));
        }

        List<ObjectSpec> objects(JsonNode n, String pipeline, SourceType source, Mode mode) {
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
                List<String> keys = new ArrayList<>(List.of("table", "topic", "shardingColumns", "target", "path", "where", "columns", "rename"));
                if (source != null) {
                    keys.addAll(source.tableKeys());
                }
                onlyKeys(o, at, keys.toArray(String[]::new));
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
                String path = string(o, at, "path", false, null);
                if (path != null && (path.contains("..") || !path.matches("[^\\s]+"))) {
                    error(at + "path", "'" + path + "' is not a folder path (no spaces, no '..')");
                }
                TableSettings settings = source == null ? null
                        : source.readTable(new Section(this, o, "objects[" + i + "]", pipeline), parts[1], mode);
                String where = ProcessingLoader.condition(this, string(o, at, "where", false, null), at + "where");
                objects.add(new ObjectSpec(parts[0], parts[1], topic, columnList(o, at + "shardingColumns"), target, path, settings,
                        where, columnList(o, at + "columns"), ProcessingLoader.rename(this, object(o, at, "rename", false), at + "rename")));
            }
            return objects;
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

        /** {@code snapshot: {threads, chunkRows}}: PostgreSQL, MySQL and MariaDB sources whose mode takes a snapshot. */
        PipelineSpec.Snapshot snapshot(JsonNode n, SourceSpec source, Mode mode) {
            if (n == null) {
                return null;
            }
            onlyKeys(n, "snapshot.", "threads", "chunkRows");
            if (source != null && !SourceTypes.get(source.type()).parallelSnapshot()) {
                error("snapshot", "a parallel snapshot reads " + SourceTypes.names().stream().filter(t -> SourceTypes.get(t).parallelSnapshot())
                        .collect(java.util.stream.Collectors.joining(", ")) + " sources; " + source.type() + " sources take Debezium's snapshot");
            }
            if (mode == Mode.INCREMENTAL) {
                error("snapshot", "mode incremental takes no snapshot");
            }
            return new PipelineSpec.Snapshot(integer(n, "snapshot.", "threads", 4, 1, 32),
                    integer(n, "snapshot.", "chunkRows", 100_000, 1_000, 10_000_000));
        }

        BatchPolicy batchPolicy(JsonNode n) {
            BatchPolicy defaults = new BatchPolicy(2048, 5);
            if (n == null) {
                return defaults;
            }
            onlyKeys(n, "batch.", "maxEvents", "maxWaitMs", "overlap");
            return new BatchPolicy(integer(n, "batch.", "maxEvents", defaults.maxEvents(), 1, 100_000),
                    integer(n, "batch.", "maxWaitMs", defaults.maxWaitMs(), 1, 60_000), bool(n, "batch.", "overlap", true));
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
    }
}
