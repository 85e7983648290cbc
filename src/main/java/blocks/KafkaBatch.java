package blocks;

import formats.FormatSpec;
import formats.Formats;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import processors.ShardKeys;
import sinks.kafka.KafkaRecords;

/**
 * A batch ({@code List<ChangeEvent>}) → the records camel-kafka sends as one batch, as a pipeline's Kafka sink builds
 * them: each change encoded in {@code format} (default {@code debezium}), its key the JSON of {@code shardingColumns}
 * (comma-separated; default the primary key) so that a key's changes keep one partition, its topic {@code topic} with
 * {@code {schema}} and {@code {table}} replaced (unset: the {@code kafka:} endpoint's topic), and the change's id in
 * the {@code tributary.id} header. camel-kafka completes the exchange only when every record is acknowledged. With
 * {@code brokers} set, each topic is made ready before its first record ({@link KafkaTopics}).
 */
public class KafkaBatch implements Processor {

    private String format = "debezium";
    private String topic;
    private String shardingColumns;
    private final KafkaTopics topics = new KafkaTopics();
    private volatile KafkaRecords records;

    public void setFormat(String format) {
        this.format = format;
        records = null;
    }

    public void setTopic(String topic) {
        this.topic = topic;
        records = null;
    }

    public void setShardingColumns(String shardingColumns) {
        this.shardingColumns = shardingColumns;
        records = null;
    }

    public void setBrokers(String brokers) {
        topics.setBrokers(brokers);
    }

    public String getBrokers() {
        return topics.getBrokers();
    }

    public String getFormat() {
        return format;
    }

    public String getTopic() {
        return topic;
    }

    public String getShardingColumns() {
        return shardingColumns;
    }

    private String topicOf(model.TableId t) {
        return topic.replace("{schema}", String.valueOf(t.namespace())).replace("{table}", t.table());
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        KafkaRecords r = records;
        if (r == null) {
            java.util.List<String> columns = TableStep.names(shardingColumns);
            r = new KafkaRecords(Formats.create(FormatSpec.of(format)),
                    topic == null ? null : this::topicOf,
                    columns.isEmpty() ? ShardKeys.byPrimaryKey() : new ShardKeys(t -> columns));
            records = r;
        }
        if (topic != null && topics.getBrokers() != null) {
            @SuppressWarnings("unchecked")
            java.util.List<model.ChangeEvent> events = exchange.getIn().getMandatoryBody(java.util.List.class);
            java.util.Set<model.TableId> tables = new java.util.LinkedHashSet<>();
            events.forEach(e -> tables.add(e.table()));
            for (model.TableId t : tables) {
                topics.ready(topicOf(t));
            }
        }
        r.process(exchange);
    }
}
