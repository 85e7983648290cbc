package config;

import com.fasterxml.jackson.databind.JsonNode;
import formats.FormatSpec;
import formats.Formats;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The pipeline's processing keys (format, objects' where / rename, objectsCsv, dedup), read for {@link PipelineLoader}. */
final class ProcessingLoader {

    private ProcessingLoader() {
    }

    /** {@code format: canal}, or {@code format: {type: canal, transactionSequence: true, businessSystemId: ERP01, ddl: true}}. */
    static FormatSpec format(YamlFields f, JsonNode n) {
        if (n == null || n.isNull()) {
            return FormatSpec.of("debezium");
        }
        if (n.isTextual()) {
            String type = f.oneOf(n.asText(), "format", Formats.names());
            return FormatSpec.of(type == null ? "debezium" : type);
        }
        if (!n.isObject()) {
            f.error("format", "expected a format name (" + String.join(", ", Formats.names()) + ") or a mapping with type and options");
            return FormatSpec.of("debezium");
        }
        f.onlyKeys(n, "format.", "type", "transactionSequence", "businessSystemId", "ddl", "updateMode", "decimalAsString", "typedValues",
                "heartbeatIntervalMs");
        String type = f.oneOf(f.string(n, "format.", "type", true, null), "format.type", Formats.names());
        String business = f.string(n, "format.", "businessSystemId", false, null);
        if (business != null && (business.isEmpty() || business.length() > 20)) {
            f.error("format.businessSystemId", "must have 1 to 20 characters, has " + business.length());
        }
        boolean ddl = f.bool(n, "format.", "ddl", false);
        if (ddl && type != null && !Formats.carriesDdl(type)) {
            f.error("format.ddl", "the " + type + " format carries row changes only; DDL messages exist in "
                    + String.join(", ", Formats.names().stream().filter(Formats::carriesDdl).toList()));
        }
        boolean sequence = f.bool(n, "format.", "transactionSequence", false);
        String updateMode = optionOf(f, n, type, "updateMode", "dataworks");
        boolean split = !"combined".equals(updateMode == null ? null : f.oneOf(updateMode, "format.updateMode", java.util.List.of("split", "combined")));
        boolean decimalsAsText = optionOf(f, n, type, "decimalAsString", "dataworks") != null && f.bool(n, "format.", "decimalAsString", false);
        boolean typedValues = optionOf(f, n, type, "typedValues", "shareplex") != null && f.bool(n, "format.", "typedValues", false);
        int heartbeat = f.integer(n, "format.", "heartbeatIntervalMs", 0, 0, 3_600_000);
        if (heartbeat > 0 && type != null && !FormatSpec.HEARTBEATS.contains(type)) {
            f.error("format.heartbeatIntervalMs", "the " + type + " format has no heartbeat record (" + String.join(", ",
                    Formats.names().stream().filter(FormatSpec.HEARTBEATS::contains).toList()) + " have)");
            heartbeat = 0;
        } else if (heartbeat > 0 && heartbeat < 1000) {
            f.error("format.heartbeatIntervalMs", heartbeat + " is below 1000 (one heartbeat a second at most)");
        }
        return new FormatSpec(type == null ? "debezium" : type, sequence, business, ddl, split, decimalsAsText, typedValues, heartbeat);
    }

    /** A format option's text, or null when unset; set for another format than its own, an error naming the key. */
    private static String optionOf(YamlFields f, JsonNode n, String type, String key, String format) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (type != null && !type.equals(format)) {
            f.error("format." + key, "is an option of the " + format + " format, not of " + type);
            return null;
        }
        return v.asText();
    }

    /**
     * {@code objectsCsv: objects.csv} (relative to the pipeline file): one object per line, as OMS imports objects —
     * header {@code table,destination,where,columns,shardingColumns}; destination is the topic (kafka, rocketmq),
     * the target table (jdbc) or the folder (hdfs); column lists separated by spaces, ';' or ','. Its objects follow
     * the YAML's, and are checked as they are ({@code objectsCsv line N} in errors).
     */
    static JsonNode objectsFromCsv(YamlFields f, Path base, String file, JsonNode listed, String sinkType) {
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
            f.error("objectsCsv", "cannot read " + path + ": " + e.getMessage());
            return all;
        }
        SinkType sink = SinkTypes.get(sinkType);
        String destination = sink == null ? "topic" : sink.destinationKey();
        for (int i = 0; i < rows.size(); i++) {
            Map<String, String> row = rows.get(i);
            String at = "objectsCsv line " + (i + 2);
            for (String column : row.keySet()) {
                if (!Set.of("table", "destination", "where", "columns", "shardingColumns").contains(column)) {
                    f.error(at, "unknown column '" + column + "' (the header is table,destination,where,columns,shardingColumns)");
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
    static String condition(YamlFields f, String where, String key) {
        if (where != null) {
            try {
                conditions.RowCondition.parse(where);
            } catch (IllegalArgumentException e) {
                f.error(key, e.getMessage());
            }
        }
        return where;
    }

    /** {@code rename: {database: crm, table: customers, columns: {cust_name: name}}}. */
    static PipelineSpec.Rename rename(YamlFields f, JsonNode n, String key) {
        if (n == null) {
            return null;
        }
        f.onlyKeys(n, key + ".", "database", "table", "columns");
        Map<String, String> columns = new LinkedHashMap<>();
        JsonNode c = n.get("columns");
        if (c != null && !c.isNull()) {
            if (!c.isObject()) {
                f.error(key + ".columns", "expected a mapping of old name: new name, got " + f.describe(c));
            } else {
                c.fields().forEachRemaining(column -> {
                    if (!column.getValue().isTextual() || column.getValue().asText().isBlank()) {
                        f.error(key + ".columns." + column.getKey(), "expected the new column name, got " + f.describe(column.getValue()));
                    } else {
                        columns.put(column.getKey(), column.getValue().asText());
                    }
                });
            }
        }
        return new PipelineSpec.Rename(f.string(n, key + ".", "database", false, null), f.string(n, key + ".", "table", false, null), columns);
    }

    /** {@code dedup: {repository: memory|jdbc, window: 10m, url, user, password}}. */
    static PipelineSpec.Dedup dedup(YamlFields f, JsonNode n) {
        if (n == null) {
            return null;
        }
        f.onlyKeys(n, "dedup.", "repository", "window", "url", "user", "password");
        String repository = f.oneOf(f.string(n, "dedup.", "repository", false, "memory"), "dedup.repository", Set.of("memory", "jdbc"));
        String window = f.string(n, "dedup.", "window", false, "10m");
        long windowMs = 600_000;
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h|d)").matcher(window);
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            f.error("dedup.window", "'" + window + "' is not a duration: a positive number with ms, s, m, h or d (e.g. 10m)");
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
        String url = f.string(n, "dedup.", "url", "jdbc".equals(repository), null);
        if (url != null && !url.startsWith("jdbc:")) {
            f.error("dedup.url", "expected a JDBC URL (jdbc:postgresql://..., jdbc:mariadb://..., ...)");
        }
        if ("memory".equals(repository) && url != null) {
            f.error("dedup.url", "only for repository: jdbc");
        }
        return new PipelineSpec.Dedup(repository, windowMs, url, f.string(n, "dedup.", "user", false, null),
                f.secret(f.string(n, "dedup.", "password", false, null), "dedup.password"));
    }
}
