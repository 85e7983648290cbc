package sources.kafka;

import config.PipelineSpec;
import config.Section;
import org.apache.camel.CamelContext;
import org.apache.camel.Category;
import org.apache.camel.Component;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;
import sinks.DeadLetters;
import sources.QueueMessages;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Change messages read back from Kafka topics: one exchange per poll, its body a list of ChangeEvent; the consumer
 * group's offsets committed only after the route completed the exchange. A message that is not in the format is kept as
 * a dead letter with its topic, partition and offset. A pipeline builds it from its file, a hand-written route from its
 * URI options.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "tributary-kafka-source", title = "Tributary Kafka source",
        syntax = "tributary-kafka-source:name", consumerOnly = true, category = {Category.MESSAGING})
public class KafkaSourceEndpoint extends DefaultEndpoint {

    @UriPath(description = "A name for this source: the pipeline name in its changes, its dead letters' folder under stateDir")
    @Metadata(required = true)
    private String name;
    @UriParam(description = "Kafka bootstrap servers, host:port, comma-separated")
    @Metadata(required = true)
    private String brokers;
    @UriParam(description = "The topics to read, comma-separated (or topicPattern)")
    private String topics;
    @UriParam(description = "A Java regular expression over topic names; topics created later join (or topics)")
    private String topicPattern;
    @UriParam(description = "The consumer group whose committed offsets are where reading resumes")
    @Metadata(required = true)
    private String group;
    @UriParam(enums = "debezium,canal,maxwell,oms-default,oms-extend,dataworks,shareplex,json-row",
            description = "The messages' format; debezium also reads Debezium's own JSON, with or without schemas")
    @Metadata(required = true)
    private String format;
    @UriParam(defaultValue = "full-and-incremental", enums = "incremental,full-and-incremental",
            description = "Where a group without committed offsets starts: incremental at the end of each partition, full-and-incremental at its beginning")
    private String mode = "full-and-incremental";
    @UriParam(defaultValue = "2048", description = "Most messages in one batch (one poll)")
    private int maxEvents = 2048;
    @UriParam(defaultValue = "data", description = "The folder that holds the dead letters")
    private String stateDir = "data";
    @UriParam(label = "advanced", prefix = "client.", multiValue = true,
            description = "Kafka consumer settings, each as client.NAME=VALUE (client.security.protocol=SSL)")
    private Map<String, Object> client = new LinkedHashMap<>();

    private PipelineSpec spec;
    private Supplier<DeadLetters> deadLetters;

    /** A pipeline's Kafka source. */
    public KafkaSourceEndpoint(CamelContext camel, PipelineSpec spec, Supplier<DeadLetters> deadLetters) {
        super("tributary-kafka-source:" + spec.name(), componentOf(camel));
        setCamelContext(camel);
        this.spec = spec;
        this.deadLetters = deadLetters;
        this.name = spec.name();
    }

    private static Component componentOf(CamelContext camel) {
        KafkaSourceComponent component = new KafkaSourceComponent();
        component.setCamelContext(camel);
        return component;
    }

    /** A hand-written route's, configured by its URI options. */
    public KafkaSourceEndpoint(String uri, Component component) {
        super(uri, component);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        KafkaSourceConfig source;
        boolean fromLatest;
        int batch;
        if (spec != null) {
            source = spec.source().config(KafkaSourceConfig.class);
            fromLatest = spec.mode() == PipelineSpec.Mode.INCREMENTAL;
            batch = spec.batch().maxEvents();
        } else {
            source = fromOptions();
            fromLatest = "incremental".equals(mode);
            batch = maxEvents;
            deadLetters = sources.QueueSources.deadLetters(stateDir, name);
        }
        KafkaSourceConsumer consumer = new KafkaSourceConsumer(this, processor, name, source, fromLatest, batch,
                new QueueMessages(source.format(), name, "kafka", deadLetters));
        configureConsumer(consumer);
        return consumer;
    }

    /** The endpoint's options read by the Kafka source plug-in, as a pipeline's {@code source:} is. */
    private KafkaSourceConfig fromOptions() {
        if (!"incremental".equals(mode) && !"full-and-incremental".equals(mode)) {
            throw new IllegalArgumentException("kafka source endpoint " + name + ": mode: '" + mode + "' is not incremental or full-and-incremental");
        }
        Map<String, Object> keys = new LinkedHashMap<>();
        keys.put("brokers", brokers);
        keys.put("topics", topics);
        keys.put("topicPattern", topicPattern);
        keys.put("group", group);
        keys.put("format", format);
        Map<String, Object> options = new LinkedHashMap<>();
        client.forEach((k, v) -> options.put(k, String.valueOf(v)));
        if (!options.isEmpty()) {
            keys.put("options", options);
        }
        keys.values().removeIf(java.util.Objects::isNull);
        return (KafkaSourceConfig) Section.read("kafka source endpoint " + name, "kafka", keys, name, new KafkaSourceFactory()::read);
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException(getEndpointUri() + ": a source only reads (use it in from:; tributary-kafka: writes)");
    }

    @Override
    public boolean isRemote() {
        return true;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getBrokers() {
        return brokers;
    }

    public void setBrokers(String brokers) {
        this.brokers = brokers;
    }

    public String getTopics() {
        return topics;
    }

    public void setTopics(String topics) {
        this.topics = topics;
    }

    public String getTopicPattern() {
        return topicPattern;
    }

    public void setTopicPattern(String topicPattern) {
        this.topicPattern = topicPattern;
    }

    public String getGroup() {
        return group;
    }

    public void setGroup(String group) {
        this.group = group;
    }

    public String getFormat() {
        return format;
    }

    public void setFormat(String format) {
        this.format = format;
    }

    public String getMode() {
        return mode;
    }

    public void setMode(String mode) {
        this.mode = mode;
    }

    public int getMaxEvents() {
        return maxEvents;
    }

    public void setMaxEvents(int maxEvents) {
        this.maxEvents = maxEvents;
    }

    public String getStateDir() {
        return stateDir;
    }

    public void setStateDir(String stateDir) {
        this.stateDir = stateDir;
    }

    public Map<String, Object> getClient() {
        return client;
    }

    public void setClient(Map<String, Object> client) {
        this.client = client;
    }
}
