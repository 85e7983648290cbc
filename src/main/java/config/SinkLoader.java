package config;

import com.fasterxml.jackson.databind.JsonNode;
import config.PipelineSpec.HdfsTarget;
import config.PipelineSpec.JdbcTarget;
import sinks.hdfs.PartitionTemplate;
import config.PipelineSpec.SinkSpec;

import java.util.Map;
import java.util.Set;

/** The {@code sink:} section of a pipeline file, one reader per sink type (docs/pipelines.md, docs/sinks/). */
final class SinkLoader {

    static final Set<String> SINK_TYPES = Set.of("kafka", "rocketmq", "jdbc", "hdfs");
    static final Set<String> FILE_FORMATS = Set.of("jsonl", "csv", "parquet");
    /** Options of the RocketMQ sink (sinks.RocketMqSink reads them; docs/sinks/rocketmq.md). */
    static final Set<String> ROCKETMQ_OPTIONS = Set.of("sendTimeoutMs", "sendRetries", "retryDelayMs", "maxBatchMessages", "maxBatchBytes", "sendThreads",
            "maxMessageBytes");

    private SinkLoader() {
    }

    static SinkSpec sink(YamlFields f, JsonNode n, String pipeline) {
        if (n == null) {
            return null;
        }
        String type = f.oneOf(f.string(n, "sink.", "type", true, null), "sink.type", SINK_TYPES);
        if (type == null) {
            return null;
        }
        return switch (type) {
            case "rocketmq" -> rocketmq(f, n, pipeline);
            case "jdbc" -> jdbc(f, n);
            case "hdfs" -> hdfs(f, n);
            default -> kafka(f, n);
        };
    }

    private static SinkSpec kafka(YamlFields f, JsonNode n) {
        f.onlyKeys(n, "sink.", "type", "brokers", "options");
        String brokers = f.string(n, "sink.", "brokers", true, null);
        Map<String, String> options = f.options(n, "sink.");
        ComponentOptions.check(f, "kafka", options, "sink.options.");
        return new SinkSpec("kafka", brokers, null, null, null, false, null, null, false, true, options, null, null);
    }

    private static SinkSpec rocketmq(YamlFields f, JsonNode n, String pipeline) {
        f.onlyKeys(n, "sink.", "type", "namesrv", "producerGroup", "tag", "trace", "accessKey", "secretKey",
                "autoCreateTopics", "sendOkOnly", "options");
        String namesrv = f.string(n, "sink.", "namesrv", true, null);
        String group = f.string(n, "sink.", "producerGroup", false, pipeline == null ? null : "tributary_" + pipeline.replace('-', '_'));
        String accessKey = f.string(n, "sink.", "accessKey", false, null);
        String secretKey = f.secret(f.string(n, "sink.", "secretKey", false, null), "sink.secretKey");
        if ((accessKey == null) != (secretKey == null)) {
            f.error(accessKey == null ? "sink.accessKey" : "sink.secretKey", "accessKey and secretKey go together (RocketMQ ACL)");
        }
        Map<String, String> options = f.options(n, "sink.");
        options.forEach((k, v) -> {
            if (!ROCKETMQ_OPTIONS.contains(k)) {
                f.error("sink.options." + k, "unknown option (allowed: " + String.join(", ", ROCKETMQ_OPTIONS.stream().sorted().toList()) + ")");
            } else if (!v.matches("[1-9][0-9]{0,8}|0")) {
                f.error("sink.options." + k, "expected a whole number, got '" + v + "'");
            }
        });
        return new SinkSpec("rocketmq", null, namesrv, group, f.string(n, "sink.", "tag", false, null),
                f.bool(n, "sink.", "trace", false), accessKey, secretKey, f.bool(n, "sink.", "autoCreateTopics", false),
                f.bool(n, "sink.", "sendOkOnly", true), options, null, null);
    }

    private static SinkSpec jdbc(YamlFields f, JsonNode n) {
        f.onlyKeys(n, "sink.", "type", "url", "user", "password", "autoCreate", "autoEvolve", "batchSize", "noPrimaryKey");
        String url = f.string(n, "sink.", "url", true, null);
        if (url != null && !url.startsWith("jdbc:")) {
            f.error("sink.url", "expected a JDBC URL (jdbc:postgresql://..., jdbc:mysql://..., jdbc:mariadb://..., jdbc:sqlserver://...)");
        }
        String noKey = f.oneOf(f.string(n, "sink.", "noPrimaryKey", false, "fail"), "sink.noPrimaryKey", Set.of("fail", "insert"));
        JdbcTarget jdbc = new JdbcTarget(url, f.string(n, "sink.", "user", true, null),
                f.secret(f.string(n, "sink.", "password", true, null), "sink.password"),
                f.bool(n, "sink.", "autoCreate", false), f.bool(n, "sink.", "autoEvolve", false),
                f.integer(n, "sink.", "batchSize", 1000, 1, 100_000), noKey);
        return new SinkSpec("jdbc", null, null, null, null, false, null, null, false, true, Map.of(), jdbc, null);
    }

    private static SinkSpec hdfs(YamlFields f, JsonNode n) {
        f.onlyKeys(n, "sink.", "type", "uri", "path", "fileFormat", "partition", "rollBytes", "rollRecords", "rollAgeMs",
                "sync", "user", "options");
        String uri = f.string(n, "sink.", "uri", true, null);
        if (uri != null && !uri.matches("(hdfs|viewfs|file)://[^\\s]*")) {
            f.error("sink.uri", "'" + uri + "' is not a file system URI: expected hdfs://namenode:port (or viewfs://, file:///)");
        }
        String path = f.string(n, "sink.", "path", true, null);
        if (path != null && (!path.startsWith("/") || path.contains(".."))) {
            f.error("sink.path", "'" + path + "' must be an absolute folder path without '..'");
        }
        String partition = n.has("partition") && n.get("partition").isTextual() && n.get("partition").asText().isEmpty()
                ? "" : f.string(n, "sink.", "partition", false, "dt={yyyy-MM-dd}");
        if (partition != null && !partition.isEmpty()) {
            try {
                PartitionTemplate.parse(partition);
            } catch (IllegalArgumentException e) {
                f.error("sink.partition", e.getMessage());
            }
        }
        HdfsTarget hdfs = new HdfsTarget(uri, path,
                f.oneOf(f.string(n, "sink.", "fileFormat", false, "jsonl"), "sink.fileFormat", FILE_FORMATS),
                partition,
                f.integer(n, "sink.", "rollBytes", 128 << 20, 1024, Integer.MAX_VALUE),
                f.integer(n, "sink.", "rollRecords", 1_000_000, 1, Integer.MAX_VALUE),
                f.integer(n, "sink.", "rollAgeMs", 300_000, 100, 86_400_000),
                "hsync".equals(f.oneOf(f.string(n, "sink.", "sync", false, "hflush"), "sink.sync", Set.of("hflush", "hsync"))),
                f.string(n, "sink.", "user", false, null),
                f.options(n, "sink."));
        return new SinkSpec("hdfs", null, null, null, null, false, null, null, false, true, Map.of(), null, hdfs);
    }
}
