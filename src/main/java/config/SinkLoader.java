package config;

import com.fasterxml.jackson.databind.JsonNode;
import config.PipelineSpec.JdbcTarget;
import config.PipelineSpec.SinkSpec;

import java.util.Map;
import java.util.Set;

/** The {@code sink:} section of a pipeline file, one reader per sink type (docs/pipelines.md, docs/sinks/). */
final class SinkLoader {

    static final Set<String> SINK_TYPES = Set.of("kafka", "rocketmq", "jdbc");
    /** Options of the RocketMQ sink (sinks.RocketMqSink reads them; docs/sinks/rocketmq.md). */
    static final Set<String> ROCKETMQ_OPTIONS = Set.of("sendTimeoutMs", "sendRetries", "retryDelayMs", "maxBatchMessages", "maxBatchBytes");

    private SinkLoader() {
    }

    static SinkSpec sink(YamlFields f, JsonNode n, String pipeline) {
        if (n == null) {
            return null;
        }
        String type = f.oneOf(f.string(n, "sink.", "type", true, null), "sink.type", SINK_TYPES);
        if ("rocketmq".equals(type)) {
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
            return new SinkSpec(type, null, namesrv, group, f.string(n, "sink.", "tag", false, null),
                    f.bool(n, "sink.", "trace", false), accessKey, secretKey, f.bool(n, "sink.", "autoCreateTopics", false),
                    f.bool(n, "sink.", "sendOkOnly", true), options, null);
        }
        if ("jdbc".equals(type)) {
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
            return new SinkSpec(type, null, null, null, null, false, null, null, false, true, Map.of(), jdbc);
        }
        f.onlyKeys(n, "sink.", "type", "brokers", "options");
        String brokers = f.string(n, "sink.", "brokers", true, null);
        return new SinkSpec(type, brokers, null, null, null, false, null, null, false, true, f.options(n, "sink."), null);
    }
}
