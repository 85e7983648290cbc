package sinks.rocketmq;

import model.TableRouting;
import org.apache.camel.Category;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import sinks.SinkEndpoint;


/**
 * The ordered RocketMQ sink in a hand-written route: a key's changes always to one message queue, in order, the batch
 * acknowledged as a whole (SEND_OK) before the exchange completes (docs/sinks/rocketmq.md).
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "tributary-rocketmq", title = "Tributary RocketMQ (ordered)",
        syntax = "tributary-rocketmq:name", producerOnly = true, category = {Category.MESSAGING})
public class RocketMqSinkEndpoint extends SinkEndpoint {

    @UriParam(description = "Name server address(es), host:port;host:port")
    @Metadata(required = true)
    private String namesrv;
    @UriParam(label = "routing", description = "The topic, {schema} and {table} replaced")
    @Metadata(required = true)
    private String topic;
    @UriParam(label = "routing", description = "Columns (comma-separated) whose values choose the message queue (default: the primary key)")
    private String shardingColumns;
    @UriParam(description = "Producer group (default tributary_<name>)")
    private String producerGroup;
    @UriParam(description = "Tag of every message (default: the table name)")
    private String tag;
    @UriParam(defaultValue = "false", description = "Message trace on the producer")
    private Boolean trace;
    @UriParam(label = "security", description = "ACL access key")
    private String accessKey;
    @UriParam(label = "security", secret = true, description = "ACL secret key; ${env:NAME} reads it from the environment")
    private String secretKey;
    @UriParam(defaultValue = "false", description = "Create missing topics (development only)")
    private Boolean autoCreateTopics;
    @UriParam(defaultValue = "true", description = "Only SEND_OK counts as delivered")
    private Boolean sendOkOnly;
    @UriParam(label = "tuning", defaultValue = "5000", description = "Timeout of one send")
    private Integer sendTimeoutMs;
    @UriParam(label = "tuning", defaultValue = "5", description = "Retries of a failed send, to the same queue")
    private Integer sendRetries;
    @UriParam(label = "tuning", defaultValue = "4194304", description = "A larger message is a dead letter")
    private Integer maxMessageBytes;

    public RocketMqSinkEndpoint(String uri, sinks.SinkComponent component) {
        super(uri, component);
    }

    @Override
    protected String type() {
        return "rocketmq";
    }

    @Override
    protected TableRouting templateRouting() {
        if (topic == null) {
            throw new IllegalArgumentException(getEndpointBaseUri() + ": topic is required");
        }
        return routing(topic, null, null, shardingColumns);
    }

    public String getNamesrv() {
        return namesrv;
    }

    public void setNamesrv(String namesrv) {
        this.namesrv = namesrv;
    }

    public String getTopic() {
        return topic;
    }

    public void setTopic(String topic) {
        this.topic = topic;
    }

    public String getShardingColumns() {
        return shardingColumns;
    }

    public void setShardingColumns(String shardingColumns) {
        this.shardingColumns = shardingColumns;
    }

    public String getProducerGroup() {
        return producerGroup;
    }

    public void setProducerGroup(String producerGroup) {
        this.producerGroup = producerGroup;
    }

    public String getTag() {
        return tag;
    }

    public void setTag(String tag) {
        this.tag = tag;
    }

    public Boolean getTrace() {
        return trace;
    }

    public void setTrace(Boolean trace) {
        this.trace = trace;
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

    public Boolean getAutoCreateTopics() {
        return autoCreateTopics;
    }

    public void setAutoCreateTopics(Boolean autoCreateTopics) {
        this.autoCreateTopics = autoCreateTopics;
    }

    public Boolean getSendOkOnly() {
        return sendOkOnly;
    }

    public void setSendOkOnly(Boolean sendOkOnly) {
        this.sendOkOnly = sendOkOnly;
    }

    public Integer getSendTimeoutMs() {
        return sendTimeoutMs;
    }

    public void setSendTimeoutMs(Integer sendTimeoutMs) {
        this.sendTimeoutMs = sendTimeoutMs;
    }

    public Integer getSendRetries() {
        return sendRetries;
    }

    public void setSendRetries(Integer sendRetries) {
        this.sendRetries = sendRetries;
    }

    public Integer getMaxMessageBytes() {
        return maxMessageBytes;
    }

    public void setMaxMessageBytes(Integer maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
    }
}
