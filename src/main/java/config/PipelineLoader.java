package config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import config.PipelineSpec.BatchPolicy;
import config.PipelineSpec.ErrorPolicy;
import config.PipelineSpec.Mode;
import config.PipelineSpec.ObjectSpec;
import config.PipelineSpec.PollSpec;
import config.PipelineSpec.Polling;
import config.PipelineSpec.SinkSpec;
import config.PipelineSpec.SourceSpec;
import formats.FormatSpec;
import formats.Formats;

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

    public static final Set<String> SOURCE_TYPES = Set.of("postgres", "mysql", "mariadb", "oceanbase", "sqlserver", "jdbc");

    private static final Pattern PIPELINE_NAME = Pattern.compile("[a-z][a-z0-9_-]{0,47}");
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

    /** Walks the YAML tree, collecting errors with the key path where they occur. The pipeline's own sections; the sink's are read by {@link SinkLoader}. */
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
            onlyKeys(root, "", "pipeline", "source", "mode", "startTimestamp", "objects", "objectsCsv", "format", "sink", "errors", "batch", "dedup");
            String name = string(root, "", "pipeline", true, null);
            if (name != null && !PIPELINE_NAME.matcher(name).matches()) {
                error("pipeline", "'" + name + "' is not a valid name: lower-case letters, digits, '-' and '_', starting with a letter, at most 48 characters");
                name = null;
            }
            SourceSpec source = source(object(root, "", "source", true), name);
            Mode mode = mode(string(root, "", "mode", false, Mode.FULL_AND_INCREMENTAL.key));
            JsonNode listed = root.get("objects");
            String csv = string(root, "", "objectsCsv", false, null);
            if (csv != null) {
                listed = objectsFromCsv(csv, listed, root.path("sink").path("type").asText(""));
            }
            List<ObjectSpec> objects = objects(listed, name, source != null && "jdbc".equals(source.type()), mode);
            FormatSpec format = format(root.get("format"));
            SinkSpec sink = SinkLoader.sink(this, object(root, "", "sink", true), name);
            ErrorPolicy errorPolicy = errorPolicy(object(root, "", "errors", false));
            BatchPolicy batch = batchPolicy(object(root, "", "batch", false));
            Instant startTimestamp = startTimestamp(string(root, "", "startTimestamp", false, null), mode, source);
            if (format.ddl() && sink != null && !Set.of("kafka", "rocketmq").contains(sink.type())) {
                error("format.ddl", "DDL messages go to message queues (kafka, rocketmq); the " + sink.type()
                        + " sink follows schema changes itself");
            }
            PipelineSpec.Dedup dedup = dedup(object(root, "", "dedup", false));
            return new PipelineSpec(name, source, mode, startTimestamp, objects, format, sink, errorPolicy, batch, dedup);
        }

        /** {@code format: canal}, or {@code format: {type: canal, transactionSequence: true, businessSystemId: ERP01, ddl: true}}. */
        FormatSpec format(JsonNode n) {
            if (n == null || n.isNull()) {
                return FormatSpec.of("debezium");
            }
            if (n.isTextual()) {
                String type = oneOf(n.asText(), "format", Formats.names());
                return FormatSpec.of(type == null ? "debezium" : type);
            }
            if (!n.isObject()) {
                error("format", "expected a format name (" + String.join(", ", Formats.names()) + ") or a mapping with type and options");
                return FormatSpec.of("debezium");
            }
            onlyKeys(n, "format.", "type", "transactionSequence", "businessSystemId", "ddl");
            String type = oneOf(string(n, "format.", "type", true, null), "format.type", Formats.names());
            String business = string(n, "format.", "businessSystemId", false, null);
            if (business != null && (business.isEmpty() || business.length() > 20)) {
                error("format.businessSystemId", "must have 1 to 20 characters, has " + business.length());
            }
            boolean ddl = bool(n, "format.", "ddl", false);
            if (ddl && type != null && !Formats.carriesDdl(type)) {
                error("format.ddl", "the " + type + " format carries row changes only; DDL messages exist in canal, maxwell, oms-default and oms-extend");
            }
            return new FormatSpec(type == null ? "debezium" : type, bool(n, "format.", "transactionSequence", false), business, ddl);
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
            } else if (source != null && !source.isBinlog() && at.isBefore(Instant.now())) {
                error("startTimestamp", source.type() + " streams from its replication slot's position only: a past startTimestamp ("
                        + value + ") cannot be honoured; remove it, or use mode full-and-incremental");
            }
            return at;
        }

        SourceSpec source(JsonNode n, String pipeline) {
            if (n == null) {
                return null;
            }
            String type = oneOf(string(n, "source.", "type", true, null), "source.type", SOURCE_TYPES);
            if ("jdbc".equals(type)) {
                onlyKeys(n, "source.", "type", "url", "user", "password", "pollIntervalMs", "delayMs");
                String url = string(n, "source.", "url", true, null);
                if (url != null && !url.startsWith("jdbc:")) {
                    error("source.url", "expected a JDBC URL (jdbc:postgresql://..., jdbc:mariadb://..., ...)");
                }
                Polling polling = new Polling(url, integer(n, "source.", "pollIntervalMs", 1000, 10, 3_600_000),
                        integer(n, "source.", "delayMs", 0, 0, 3_600_000));
                return new SourceSpec(type, null, 0, null, string(n, "source.", "user", true, null),
                        secret(string(n, "source.", "password", true, null), "source.password"), null, null, 0, Map.of(), polling, false);
            }
            boolean oceanbase = "oceanbase".equals(type);
            boolean sqlserver = "sqlserver".equals(type);
            boolean binlog = "mysql".equals(type) || "mariadb".equals(type) || oceanbase;
            if (oceanbase) {
                onlyKeys(n, "source.", "type", "host", "port", "database", "user", "password", "serverId", "tenant", "cluster", "options");
            } else if (binlog) {
                onlyKeys(n, "source.", "type", "host", "port", "database", "user", "password", "serverId", "options");
            } else if (sqlserver) {
                onlyKeys(n, "source.", "type", "host", "port", "database", "user", "password", "options");
            } else {
                onlyKeys(n, "source.", "type", "host", "port", "database", "user", "password", "slot", "publication", "publicationScope",
                        "options");
            }
            String host = string(n, "source.", "host", true, null);
            // OceanBase: OBProxy, which serves SQL and (with binlog_service_ip set) the binlog service's dump protocol
            int port = integer(n, "source.", "port", oceanbase ? 2883 : binlog ? 3306 : sqlserver ? 1433 : 5432, 1, 65535);
            String database = string(n, "source.", "database", !binlog, null);
            String user = string(n, "source.", "user", true, null);
            if (oceanbase) {
                // OceanBase logs in as user@tenant (and #cluster through a multi-cluster OBProxy)
                String tenant = string(n, "source.", "tenant", true, null);
                String cluster = string(n, "source.", "cluster", false, null);
                if (user != null && tenant != null) {
                    user = user.contains("@") ? user : user + "@" + tenant + (cluster == null ? "" : "#" + cluster);
                }
            }
            String password = secret(string(n, "source.", "password", true, null), "source.password");
            String slot = null;
            String publication = null;
            long serverId = 0;
            if (binlog) {
                // a replica id of its own per pipeline, stable across restarts (two readers with one id evict each other)
                int defaultId = pipeline == null ? 1 : 10_000 + Math.floorMod(pipeline.hashCode(), 1_000_000);
                serverId = integer(n, "source.", "serverId", defaultId, 1, Integer.MAX_VALUE);
            } else if (!sqlserver) {
                String defaultSlot = pipeline == null ? null : "tributary_" + pipeline.replace('-', '_');
                slot = identifier(string(n, "source.", "slot", false, defaultSlot), "source.slot");
                publication = identifier(string(n, "source.", "publication", false, defaultSlot), "source.publication");
            }
            Map<String, String> options = options(n, "source.");
            if (options.keySet().stream().anyMatch(k -> k.toLowerCase().contains("password"))) {
                error("source.options", "a password does not belong in options (it would become part of an endpoint URI): use source.password");
            }
            boolean publishSchemas = "schemas".equals(oneOf(string(n, "source.", "publicationScope", false, "tables"),
                    "source.publicationScope", Set.of("tables", "schemas")));
            return new SourceSpec(type, host, port, database, user, password, slot, publication, serverId, options, null, publishSchemas);
        }

        List<ObjectSpec> objects(JsonNode n, String pipeline, boolean polled, Mode mode) {
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
                if (polled) {
                    onlyKeys(o, at, "table", "topic", "shardingColumns", "target", "path", "where", "columns", "rename",
                            "pollMode", "incrementingColumn", "timestampColumn");
                } else {
                    onlyKeys(o, at, "table", "topic", "shardingColumns", "target", "path", "where", "columns", "rename");
                }
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
                PollSpec poll = null;
                if (polled) {
                    if (parts[1].contains("*")) {
                        error(at + "table", "a polled table is named exactly ('*' is for log-based sources)");
                    }
                    poll = pollSpec(o, at, mode);
                }
                String where = condition(string(o, at, "where", false, null), at + "where");
                objects.add(new ObjectSpec(parts[0], parts[1], topic, columnList(o, at + "shardingColumns"), target, path, poll,
                        where, columnList(o, at + "columns"), rename(object(o, at, "rename", false), at + "rename")));
            }
            return objects;
        }


        /**
         * {@code objectsCsv: objects.csv} (relative to the pipeline file): one object per line, as OMS imports objects —
         * header {@code table,destination,where,columns,shardingColumns}; destination is the topic (kafka, rocketmq),
         * the target table (jdbc) or the folder (hdfs); column lists separated by spaces, ';' or ','. Its objects follow
         * the YAML's, and are checked as they are ({@code objectsCsv line N} in errors).
         */
        JsonNode objectsFromCsv(String file, JsonNode listed, String sinkType) {
            Path path = base == null ? Path.of(file) : base.resolve(file);
            com.fasterxml.jackson.databind.node.ArrayNode all = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
            if (listed != null && listed.isArray()) {
                all.addAll((com.fasterxml.jackson.databind.node.ArrayNode) listed);
            }
            List<Map<String, String>> rows;
            try {
                com.fasterxml.jackson.dataformat.csv.CsvMapper mapper = new com.fasterxml.jackson.dataformat.csv.CsvMapper();
                try (com.fasterxml.jackson.databind.MappingIterator<Map<String, String>> it = mapper
                        .readerForMapOf(String.class).with(com.fasterxml.jackson.dataformat.csv.CsvSchema.emptySchema().withHeader())
                        .readValues(Files.readString(path))) {
                    rows = it.readAll();
                }
            } catch (IOException | RuntimeException e) {
                error("objectsCsv", "cannot read " + path + ": " + e.getMessage());
                return all;
            }
            String destination = switch (sinkType) {
                case "jdbc" -> "target";
                case "hdfs" -> "path";
                default -> "topic";
            };
            for (int i = 0; i < rows.size(); i++) {
                Map<String, String> row = rows.get(i);
                String at = "objectsCsv line " + (i + 2);
                for (String column : row.keySet()) {
                    if (!Set.of("table", "destination", "where", "columns", "shardingColumns").contains(column)) {
                        error(at, "unknown column '" + column + "' (the header is table,destination,where,columns,shardingColumns)");
                    }
                }
                com.fasterxml.jackson.databind.node.ObjectNode o = all.addObject();
                putIfPresent(o, "table", row.get("table"));
                putIfPresent(o, destination, row.get("destination"));
                putIfPresent(o, "where", row.get("where"));
                for (String list : new String[]{"columns", "shardingColumns"}) {
                    String value = row.get(list);
                    if (value != null && !value.isBlank()) {
                        com.fasterxml.jackson.databind.node.ArrayNode names = o.putArray(list);
                        Arrays.stream(value.trim().split("[;,\\s]+")).forEach(names::add);
                    }
                }
            }
            return all;
        }

        private static void putIfPresent(com.fasterxml.jackson.databind.node.ObjectNode o, String key, String value) {
            if (value != null && !value.isBlank()) {
                o.put(key, value.trim());
            }
        }

        /** A row filter, parsed now so that a bad one is an error at load time (it is compiled again by the route). */
        String condition(String where, String key) {
            if (where != null) {
                try {
                    processors.RowCondition.parse(where);
                } catch (IllegalArgumentException e) {
                    error(key, e.getMessage());
                }
            }
            return where;
        }

        /** {@code rename: {database: crm, table: customers, columns: {cust_name: name}}}. */
        PipelineSpec.Rename rename(JsonNode n, String key) {
            if (n == null) {
                return null;
            }
            onlyKeys(n, key + ".", "database", "table", "columns");
            Map<String, String> columns = new LinkedHashMap<>();
            JsonNode c = n.get("columns");
            if (c != null && !c.isNull()) {
                if (!c.isObject()) {
                    error(key + ".columns", "expected a mapping of old name: new name, got " + describe(c));
                } else {
                    c.fields().forEachRemaining(f -> {
                        if (!f.getValue().isTextual() || f.getValue().asText().isBlank()) {
                            error(key + ".columns." + f.getKey(), "expected the new column name, got " + describe(f.getValue()));
                        } else {
                            columns.put(f.getKey(), f.getValue().asText());
                        }
                    });
                }
            }
            return new PipelineSpec.Rename(string(n, key + ".", "database", false, null), string(n, key + ".", "table", false, null), columns);
        }

        PollSpec pollSpec(JsonNode o, String at, Mode mode) {
            String pollMode = oneOf(string(o, at, "pollMode", true, null), at + "pollMode",
                    Set.of("incrementing", "timestamp", "timestamp+incrementing", "bulk"));
            String incrementing = string(o, at, "incrementingColumn", false, null);
            String timestamp = string(o, at, "timestampColumn", false, null);
            if (pollMode == null) {
                return null;
            }
            PollSpec poll = new PollSpec(pollMode, incrementing, timestamp);
            if (poll.usesIncrementing() && incrementing == null) {
                error(at + "incrementingColumn", "missing (pollMode " + pollMode + " needs a strictly increasing column)");
            }
            if (poll.usesTimestamp() && timestamp == null) {
                error(at + "timestampColumn", "missing (pollMode " + pollMode + " needs a last-modified column)");
            }
            if ("bulk".equals(pollMode) && mode != Mode.FULL) {
                error(at + "pollMode", "bulk reads the whole table: it goes with mode full only");
            }
            return poll;
        }

        /** {@code dedup: {repository: memory|jdbc, window: 10m, url, user, password}}. */
        PipelineSpec.Dedup dedup(JsonNode n) {
            if (n == null) {
                return null;
            }
            onlyKeys(n, "dedup.", "repository", "window", "url", "user", "password");
            String repository = oneOf(string(n, "dedup.", "repository", false, "memory"), "dedup.repository", Set.of("memory", "jdbc"));
            String window = string(n, "dedup.", "window", false, "10m");
            long windowMs = 600_000;
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h|d)").matcher(window);
            if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
                error("dedup.window", "'" + window + "' is not a duration: a positive number with ms, s, m, h or d (e.g. 10m)");
            } else {
                long unit = switch (m.group(2)) {
                    case "ms" -> 1;
                    case "s" -> 1000;
                    case "m" -> 60_000;
                    case "h" -> 3_600_000;
                    default -> 86_400_000;
                };
                windowMs = Long.parseLong(m.group(1)) * unit;
            }
            String url = string(n, "dedup.", "url", "jdbc".equals(repository), null);
            if (url != null && !url.startsWith("jdbc:")) {
                error("dedup.url", "expected a JDBC URL (jdbc:postgresql://..., jdbc:mariadb://..., ...)");
            }
            if ("memory".equals(repository) && url != null) {
                error("dedup.url", "only for repository: jdbc");
            }
            return new PipelineSpec.Dedup(repository, windowMs, url, string(n, "dedup.", "user", false, null),
                    secret(string(n, "dedup.", "password", false, null), "dedup.password"));
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

        BatchPolicy batchPolicy(JsonNode n) {
            BatchPolicy defaults = new BatchPolicy(2048, 100);
            if (n == null) {
                return defaults;
            }
            onlyKeys(n, "batch.", "maxEvents", "maxWaitMs");
            return new BatchPolicy(
                    integer(n, "batch.", "maxEvents", defaults.maxEvents(), 1, 100_000),
                    integer(n, "batch.", "maxWaitMs", defaults.maxWaitMs(), 1, 60_000));
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
