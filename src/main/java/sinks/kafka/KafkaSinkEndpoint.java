package sinks.kafka;

import model.TableRouting;
import org.apache.camel.Category;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import sinks.SinkComponent;
import sinks.SinkEndpoint;

/**
 * The Kafka sink in a hand-written route: one record per change (key = the sharding columns' values), each topic made
 * ready before its first record, the batch acknowledged as a whole before the exchange completes (docs/sinks/kafka.md).
 * camel-kafka's options go in {@code option.NAME=value}.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "tributary-kafka", title = "Tributary Kafka", syntax = "tributary-kafka:name",
        producerOnly = true, category = {Category.MESSAGING})
public class KafkaSinkEndpoint extends SinkEndpoint {

    @UriParam(description = "Bootstrap servers, host:port,host:port")
    @Metadata(required = true)
    private String brokers;
    @UriParam(label = "routing", description = "The topic, {schema} and {table} replaced")
    private String topic;
    @UriParam(label = "routing", description = "Columns (comma-separated) whose values are the record key (default: the primary key)")
    private String shardingColumns;

    public KafkaSinkEndpoint(String uri, SinkComponent component) {
        super(uri, component);
    }

    @Override
    protected String type() {
        return "kafka";
    }

    @Override
    protected TableRouting templateRouting() {
        if (topic == null) {
            throw new IllegalArgumentException(getEndpointBaseUri() + ": topic (or routing) is required");
        }
        return routing(topic, null, null, shardingColumns);
    }

    public String getBrokers() {
        return brokers;
    }

    public void setBrokers(String brokers) {
        this.brokers = brokers;
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
}
