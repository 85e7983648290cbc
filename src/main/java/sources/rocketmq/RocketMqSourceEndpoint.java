package sources.rocketmq;

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
 * Change messages read back from RocketMQ topics: one exchange per batch of pulled messages, its body a list of
 * ChangeEvent, in queue order; the group's queue offsets committed to the broker only after the route completed the
 * exchange. A message that is not in the format is kept as a dead letter with its topic, queue and offset. A pipeline
 * builds it from its file, a hand-written route from its URI options.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "tributary-rocketmq-source", title = "Tributary RocketMQ source",
        syntax = "tributary-rocketmq-source:name", consumerOnly = true, category = {Category.MESSAGING})
public class RocketMqSourceEndpoint extends DefaultEndpoint {

    @UriPath(description = "A name for this source: the pipeline name in its changes, its dead letters' folder under stateDir")
    @Metadata(required = true)
    private String name;
    @UriParam(description = "NameServer address(es), host:port;host:port")
    @Metadata(required = true)
    private String namesrv;
    @UriParam(description = "The topics to read, comma-separated")
    @Metadata(required = true)
    private String topics;
    @UriParam(defaultValue = "*", description = "A tag expression the messages must match, in RocketMQ's syntax; the default takes every tag")
    private String tags = "*";
    @UriParam(description = "The consumer group whose queue offsets, kept by the broker, are where reading resumes")
    @Metadata(required = true)
    private String consumerGroup;
    @UriParam(enums = "debezium,canal,maxwell,oms-default,oms-extend,dataworks,shareplex,json-row", description = "The messages' format")
    @Metadata(required = true)
    private String format;
    @UriParam(defaultValue = "full-and-incremental", enums = "incremental,full-and-incremental",
            description = "Where a group without offsets starts: incremental at the end of each queue, full-and-incremental at its beginning")
    private String mode = "full-and-incremental";
    @UriParam(defaultValue = "2048", description = "Most messages in one batch")
    private int maxEvents = 2048;
    @UriParam(defaultValue = "data", description = "The folder that holds the dead letters")
    private String stateDir = "data";
    @UriParam(label = "security", description = "ACL access key")
    private String accessKey;
    @UriParam(label = "security", secret = true, description = "ACL secret key; ${env:NAME} reads it from the environment")
    private String secretKey;

    private PipelineSpec spec;
    private Supplier<DeadLetters> deadLetters;

    /** A pipeline's RocketMQ source. */
    public RocketMqSourceEndpoint(CamelContext camel, PipelineSpec spec, Supplier<DeadLetters> deadLetters) {
        super("tributary-rocketmq-source:" + spec.name(), componentOf(camel));
        setCamelContext(camel);
        this.spec = spec;
        this.deadLetters = deadLetters;
        this.name = spec.name();
    }

    private static Component componentOf(CamelContext camel) {
        RocketMqSourceComponent component = new RocketMqSourceComponent();
        component.setCamelContext(camel);
        return component;
    }

    /** A hand-written route's, configured by its URI options. */
    public RocketMqSourceEndpoint(String uri, Component component) {
        super(uri, component);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        RocketMqSourceConfig source;
        boolean fromLatest;
        int batch;
        if (spec != null) {
            source = spec.source().config(RocketMqSourceConfig.class);
            fromLatest = spec.mode() == PipelineSpec.Mode.INCREMENTAL;
            batch = spec.batch().maxEvents();
        } else {
            source = fromOptions();
            fromLatest = "incremental".equals(mode);
            batch = maxEvents;
            deadLetters = sources.QueueSources.deadLetters(stateDir, name);
        }
        RocketMqSourceConsumer consumer = new RocketMqSourceConsumer(this, processor, name, source, fromLatest, batch,
                new QueueMessages(source.format(), name, "rocketmq", deadLetters));
        configureConsumer(consumer);
        return consumer;
    }

    /** The endpoint's options read by the RocketMQ source plug-in, as a pipeline's {@code source:} is. */
    private RocketMqSourceConfig fromOptions() {
        if (!"incremental".equals(mode) && !"full-and-incremental".equals(mode)) {
            throw new IllegalArgumentException("rocketmq source endpoint " + name + ": mode: '" + mode + "' is not incremental or full-and-incremental");
        }
        Map<String, Object> keys = new LinkedHashMap<>();
        keys.put("namesrv", namesrv);
        keys.put("topics", topics);
        keys.put("tags", tags);
        keys.put("consumerGroup", consumerGroup);
        keys.put("format", format);
        keys.put("accessKey", accessKey);
        keys.put("secretKey", secretKey);
        keys.values().removeIf(java.util.Objects::isNull);
        return (RocketMqSourceConfig) Section.read("rocketmq source endpoint " + name, "rocketmq", keys, name, new RocketMqSourceFactory()::read);
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException(getEndpointUri() + ": a source only reads (use it in from:; tributary-rocketmq: writes)");
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

    public String getNamesrv() {
        return namesrv;
    }

    public void setNamesrv(String namesrv) {
        this.namesrv = namesrv;
    }

    public String getTopics() {
        return topics;
    }

    public void setTopics(String topics) {
        this.topics = topics;
    }

    public String getTags() {
        return tags;
    }

    public void setTags(String tags) {
        this.tags = tags;
    }

    public String getConsumerGroup() {
        return consumerGroup;
    }

    public void setConsumerGroup(String consumerGroup) {
        this.consumerGroup = consumerGroup;
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

    public String getAccessKey() {
        return accessKey;
    }

    public void setAccessKey(String accessKey) {
        this.accessKey = accessKey;
    }

    public String getSecretKey() {
        return secretKey;
    }

    public void setSecretKey(String secretKey) {
        this.secretKey = secretKey;
    }
}
