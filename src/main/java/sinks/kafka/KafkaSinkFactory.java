package sinks.kafka;

import config.PipelineSpec;
import config.PipelineSpec.ObjectSpec;
import config.Prechecks;
import config.Section;
import config.SinkConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.ConfigResource;
import processors.ShardKeys;
import sinks.BatchSink;
import sinks.SinkContext;
import sinks.SinkFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** The {@code kafka} sink plug-in: camel-kafka's producer, one record per change, the batch acknowledged as a whole. */
public final class KafkaSinkFactory implements SinkFactory {

    @Override
    public String type() {
        return "kafka";
    }

    @Override
    public SinkConfig read(Section sink) {
        sink.onlyKeys("type", "brokers", "options");
        String brokers = sink.string("brokers", true, null);
        Map<String, String> options = sink.options();
        sink.checkComponentOptions("kafka", options);
        return new KafkaSinkConfig(brokers, options);
    }

    @Override
    public boolean carriesDdl() {
        return true;
    }

    @Override
    public BatchSink create(SinkContext c) {
        return new KafkaSink(c.camel(), endpointUri(c.spec()), new KafkaRecords(c.format(), c.routing()::topicOf,
                new ShardKeys(c.routing()::shardingColumnsOf)), c.counters(), c.deadLetters().get())
                .withMarkers(c.spec().name(), c.spec().format().heartbeatIntervalMs(),
                        c.spec().objects().stream().map(ObjectSpec::topic).filter(t -> !t.contains("{")).distinct().toList());
    }

    /**
     * Two snapshot batches at once when nothing else in the route needs them one by one: the producer is thread-safe,
     * and while one batch waits for its acknowledgements the next is encoded and sent (a third of the sink's time was
     * that wait: docs/performance.md). Dedup's repository checks and records batch by batch.
     */
    @Override
    public int snapshotBatchesInFlight(PipelineSpec spec) {
        return spec.dedup() == null ? 2 : 1;
    }

    /** The newest records of each partition: the batch in flight at a crash is at most maxEvents of them. */
    @Override
    public Supplier<Set<String>> recentlyDelivered(PipelineSpec spec) {
        KafkaSinkConfig k = spec.sink().config(KafkaSinkConfig.class);
        List<String> topics = spec.objects().stream().map(ObjectSpec::topic).distinct().toList();
        return () -> KafkaTail.recentIds(k.brokers(), k.clientSettings(), spec.name(), topics, 2 * spec.batch().maxEvents());
    }

    /** The camel-kafka endpoint of a pipeline: Tributary's producer defaults, then the operator's options. */
    static String endpointUri(PipelineSpec spec) {
        KafkaSinkConfig k = spec.sink().config(KafkaSinkConfig.class);
        Map<String, String> o = new LinkedHashMap<>();
        o.put("brokers", k.brokers());
        o.put("keySerializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
        o.put("valueSerializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
        o.put("requestRequiredAcks", "all");
        o.put("enableIdempotence", "true");
        o.put("recordMetadata", "false");
        o.put("lingerMs", "5");
        o.put("batchWithIndividualHeaders", "true"); // each record its own headers (tributary.id), not the batch's
        o.put("producerBatchSize", "262144"); // a whole change batch in a few produce requests, not dozens
        // change events are repetitive JSON: lz4 sends a fraction of the bytes, and a broker validating a compressed
        // batch skips every record's key, value and headers — the broker's CPU per change fell more than ours rose
        o.put("compressionCodec", "lz4");
        // fail a batch in seconds, not hours, when Kafka is away: the route's retries take over from there
        o.put("maxBlockMs", "5000");
        o.put("requestTimeoutMs", "10000");
        o.put("deliveryTimeoutMs", "30000");
        o.putAll(k.options());
        // every message carries its own topic; the endpoint's topic is only the component's required default
        return "kafka:" + spec.name() + "?" + o.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("&"));
    }

    /** sink.connect: the cluster answers; sink.topics: each literal topic exists, or the brokers create topics. */
    @Override
    public void precheck(PipelineSpec spec, Prechecks checks) {
        KafkaSinkConfig k = spec.sink().config(KafkaSinkConfig.class);
        Properties p = new Properties();
        p.put("bootstrap.servers", k.brokers());
        p.put("request.timeout.ms", "10000");
        p.put("default.api.timeout.ms", "15000");
        p.putAll(k.clientSettings());
        boolean connected = checks.check("sink.connect", () -> {
            try (Admin admin = Admin.create(p)) {
                return "Kafka cluster " + admin.describeCluster().clusterId().get() + ", " + admin.describeCluster().nodes().get().size() + " broker(s)";
            }
        });
        if (!connected) {
            return;
        }
        List<String> literal = spec.objects().stream().map(ObjectSpec::topic).filter(t -> !t.contains("{")).distinct().toList();
        checks.check("sink.topics", () -> {
            try (Admin admin = Admin.create(p)) {
                Set<String> existing = admin.listTopics().names().get();
                List<String> lines = new ArrayList<>();
                List<String> missing = new ArrayList<>();
                for (String topic : literal) {
                    if (existing.contains(topic)) {
                        int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
                        lines.add(topic + ": " + partitions + " partition" + (partitions == 1 ? "" : "s"));
                    } else {
                        missing.add(topic);
                    }
                }
                if (!missing.isEmpty()) {
                    String broker = admin.describeCluster().nodes().get().iterator().next().idString();
                    ConfigResource resource = new ConfigResource(ConfigResource.Type.BROKER, broker);
                    var auto = admin.describeConfigs(List.of(resource)).all().get().get(resource).get("auto.create.topics.enable");
                    if (auto == null || !"true".equals(auto.value())) {
                        throw new IllegalStateException("topic(s) " + missing + " do not exist and the brokers do not create topics (auto.create.topics.enable=false)");
                    }
                    lines.add(missing + ": do not exist yet; the brokers create them on first write (auto.create.topics.enable=true)");
                }
                return String.join("; ", lines);
            }
        });
    }
}
