package sinks.rocketmq;

import config.PipelineSpec;
import config.PipelineSpec.ObjectSpec;
import config.Prechecks;
import config.Section;
import config.SinkConfig;
import formats.Formats;
import processors.ShardKeys;
import counters.PipelineCounters;
import sinks.BatchSink;
import sinks.SinkContext;
import sinks.SinkFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The {@code rocketmq} sink plug-in: ordered sends, a key's changes always to one message queue. */
public final class RocketMqSinkFactory implements SinkFactory {

    /** The sink's options (RocketMqSink reads them; docs/sinks/rocketmq.md). */
    static final Set<String> OPTIONS = Set.of("sendTimeoutMs", "sendRetries", "retryDelayMs", "maxBatchMessages", "maxBatchBytes",
            "sendThreads", "maxMessageBytes");

    @Override
    public String type() {
        return "rocketmq";
    }

    @Override
    public SinkConfig read(Section sink) {
        sink.onlyKeys("type", "namesrv", "producerGroup", "tag", "trace", "accessKey", "secretKey", "autoCreateTopics", "sendOkOnly",
                "options");
        String namesrv = sink.string("namesrv", true, null);
        String pipeline = sink.pipeline();
        String group = sink.string("producerGroup", false, pipeline == null ? null : "tributary_" + pipeline.replace('-', '_'));
        String accessKey = sink.string("accessKey", false, null);
        String secretKey = sink.secret("secretKey", false);
        if ((accessKey == null) != (secretKey == null)) {
            sink.error(accessKey == null ? "accessKey" : "secretKey", "accessKey and secretKey go together (RocketMQ ACL)");
        }
        Map<String, String> options = sink.options();
        options.forEach((k, v) -> {
            if (!OPTIONS.contains(k)) {
                sink.error("options." + k, "unknown option (allowed: " + String.join(", ", OPTIONS.stream().sorted().toList()) + ")");
            } else if (!v.matches("[1-9][0-9]{0,8}|0")) {
                sink.error("options." + k, "expected a whole number, got '" + v + "'");
            }
        });
        return new RocketMqSinkConfig(namesrv, group, sink.string("tag", false, null), sink.bool("trace", false), accessKey,
                secretKey, sink.bool("autoCreateTopics", false), sink.bool("sendOkOnly", true), options);
    }

    @Override
    public boolean carriesDdl() {
        return true;
    }

    @Override
    public BatchSink create(SinkContext c) {
        return new RocketMqSink(c.spec().sink().config(RocketMqSinkConfig.class), c.format(), c.routing()::topicOf,
                new ShardKeys(c.routing()::shardingColumnsOf), literalTopics(c.spec()), c.counters(), c.deadLetters().get())
                .withHeartbeats(c.spec().format().heartbeatIntervalMs());
    }

    private static List<String> literalTopics(PipelineSpec spec) {
        return spec.objects().stream().map(ObjectSpec::topic).filter(t -> !t.contains("{")).distinct().toList();
    }

    /** sink.topics: each topic exists with writable queues; sink.ordered: each is an ordered topic on its brokers. */
    @Override
    public void precheck(PipelineSpec spec, Prechecks checks) {
        RocketMqSink mq = new RocketMqSink(spec.sink().config(RocketMqSinkConfig.class), Formats.create(spec.format()), t -> null,
                new ShardKeys(t -> List.of()), List.of(), new PipelineCounters());
        try {
            try {
                mq.start();
            } catch (Exception e) {
                checks.check("sink.topics", () -> {
                    throw e;
                });
                return;
            }
            List<String> topics = literalTopics(spec);
            checks.check("sink.topics", () -> {
                List<String> problems = new ArrayList<>();
                for (String topic : topics) {
                    problems.addAll(mq.precheck(topic));
                }
                if (!problems.isEmpty()) {
                    throw new IllegalStateException(String.join("; ", problems));
                }
                return "topics " + topics + " exist with writable queues";
            });
            checks.check("sink.ordered", () -> {
                List<String> found = new ArrayList<>();
                for (String topic : topics) {
                    found.add(mq.orderedProperty(topic));
                }
                return String.join("; ", found);
            });
        } finally {
            mq.stop();
        }
    }
}
