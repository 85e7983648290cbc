package sources.kafka;

import config.PipelineSpec;
import config.Prechecks;
import config.Section;
import config.SourceConfig;
import formats.Formats;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import sources.SourceContext;
import sources.SourceExport;
import sources.SourceFactory;
import sources.SourceRoute;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The {@code kafka} source plug-in: change messages that Tributary, Debezium, Canal, Maxwell or OMS wrote to Kafka,
 * read back into changes and through the same route into any sink. Its endpoint emits canonical batches itself.
 */
public final class KafkaSourceFactory implements SourceFactory {

    @Override
    public String type() {
        return "kafka";
    }

    @Override
    public SourceConfig read(Section source) {
        source.onlyKeys("type", "brokers", "topics", "topicPattern", "group", "format", "options");
        String brokers = source.string("brokers", true, null);
        List<String> topics = source.strings("topics", false);
        String pattern = source.string("topicPattern", false, null);
        if (topics.isEmpty() == (pattern == null)) {
            source.error(topics.isEmpty() ? "topics" : "topicPattern", "give either topics (a list) or topicPattern (a regular expression), not both");
        }
        if (pattern != null) {
            try {
                Pattern.compile(pattern);
            } catch (PatternSyntaxException e) {
                source.error("topicPattern", "not a regular expression: " + e.getDescription());
            }
        }
        String group = source.string("group", false, source.pipeline() == null ? null : "tributary-" + source.pipeline());
        String format = source.oneOf("format", true, null, Formats.names());
        return new KafkaSourceConfig(brokers, topics, pattern, group, format, source.options());
    }

    @Override
    public String refusesMode(PipelineSpec.Mode mode) {
        return sources.QueueSources.refusesMode(mode, "partition");
    }

    @Override
    public SourceRoute route(SourceContext c) {
        return sources.QueueSources.route(c, letters -> new KafkaSourceEndpoint(c.camel(), c.spec(), letters));
    }

    @Override
    public void export(SourceExport x) {
        KafkaSourceConfig k = x.spec().source().config(KafkaSourceConfig.class);
        Map<String, Object> p = x.parameters();
        p.put("brokers", k.brokers());
        if (k.topicPattern() != null) {
            p.put("topicPattern", k.topicPattern());
        } else {
            p.put("topics", String.join(",", k.topics()));
        }
        p.put("group", k.group());
        p.put("format", k.format());
        p.put("mode", x.spec().mode().key);
        p.put("maxEvents", x.spec().batch().maxEvents());
        p.put("stateDir", x.stateDir().getParent().toString());
        k.options().forEach((key, value) -> p.put("client." + key, k.secrets().contains(value) ? x.secret("source.options." + key) : value));
        x.from("tributary-kafka-source:" + x.spec().name());
    }

    @Override
    public void precheck(PipelineSpec spec, Prechecks checks) {
        KafkaSourceConfig k = spec.source().config(KafkaSourceConfig.class);
        Properties p = new Properties();
        p.putAll(k.options());
        p.put("bootstrap.servers", k.brokers());
        p.put("request.timeout.ms", "10000");
        p.put("default.api.timeout.ms", "15000");
        boolean connected = checks.check("source.connect", () -> {
            try (Admin admin = Admin.create(p)) {
                return "Kafka cluster " + admin.describeCluster().clusterId().get() + ", " + admin.describeCluster().nodes().get().size() + " broker(s)";
            }
        });
        if (!connected) {
            return;
        }
        checks.check("source.topics", () -> {
            try (Admin admin = Admin.create(p)) {
                Set<String> existing = admin.listTopics().names().get();
                List<String> read = k.topicPattern() == null ? k.topics()
                        : existing.stream().filter(Pattern.compile(k.topicPattern()).asMatchPredicate()).sorted().toList();
                List<String> missing = read.stream().filter(t -> !existing.contains(t)).toList();
                if (!missing.isEmpty()) {
                    throw new IllegalStateException("no such topic: " + String.join(", ", missing));
                }
                if (read.isEmpty()) {
                    return "no topic matches " + k.topicPattern() + " yet (topics created later join)";
                }
                List<String> lines = new ArrayList<>();
                admin.describeTopics(read).allTopicNames().get().forEach((t, d) -> lines.add(t + ": " + d.partitions().size()
                        + " partition" + (d.partitions().size() == 1 ? "" : "s")));
                return String.join(", ", lines);
            }
        });
        checks.check("source.group", () -> {
            try (Admin admin = Admin.create(p)) {
                Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(k.group()).partitionsToOffsetAndMetadata().get();
                return offsets.isEmpty() ? "group " + k.group() + " has no committed offsets: reading starts at the "
                        + (spec.mode() == PipelineSpec.Mode.INCREMENTAL ? "end" : "beginning") + " of each partition"
                        : "group " + k.group() + " resumes at committed offsets on " + offsets.size() + " partition(s)";
            }
        });
    }
}
