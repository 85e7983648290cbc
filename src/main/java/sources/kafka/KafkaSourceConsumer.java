package sources.kafka;

import org.apache.camel.Endpoint;
import org.apache.camel.Processor;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import sources.QueueMessage;
import sources.QueueMessages;
import sources.QueueSourceConsumer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * The Kafka source's client: Kafka's own {@link KafkaConsumer}, auto-commit off, committing with {@code commitSync}
 * exactly the offsets after the records of each delivered poll. Not camel-kafka's consumer: it hands a route one
 * exchange per record, or with {@code batching=true} a poll whose failure it logs and passes (or, with
 * {@code breakOnFirstError}, polls again without end) — neither stops the pipeline FAILED with its offsets kept, and
 * neither waits for a batch in the route before a stop, as every Tributary source does.
 */
final class KafkaSourceConsumer extends QueueSourceConsumer {

    private final KafkaSourceConfig source;
    private final boolean fromLatest;
    private final int maxEvents;
    private KafkaConsumer<byte[], byte[]> consumer;

    KafkaSourceConsumer(Endpoint endpoint, Processor processor, String name, KafkaSourceConfig source, boolean fromLatest,
                        int maxEvents, QueueMessages messages) {
        super(endpoint, processor, name, messages);
        this.source = source;
        this.fromLatest = fromLatest;
        this.maxEvents = maxEvents;
    }

    /** The client settings: Tributary's (manual commits, committed reads only, a poll at most a batch), then the operator's. */
    static Properties settings(KafkaSourceConfig source, String name, boolean fromLatest, int maxEvents) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, source.brokers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, source.group());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "tributary-" + name);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, fromLatest ? "latest" : "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(maxEvents));
        p.putAll(source.options());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"); // offsets follow acknowledgements, whatever the options say
        return p;
    }

    @Override
    protected void open() {
        consumer = new KafkaConsumer<>(settings(source, name, fromLatest, maxEvents));
        ConsumerRebalanceListener rebalance = new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                // nothing to flush: every poll is delivered and committed before the next one (where a rebalance runs)
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            }
        };
        if (source.topicPattern() != null) {
            consumer.subscribe(Pattern.compile(source.topicPattern()), rebalance);
        } else {
            consumer.subscribe(source.topics(), rebalance);
        }
    }

    @Override
    protected List<QueueMessage> poll() {
        List<QueueMessage> polled = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
            polled.add(new QueueMessage(r.topic(), String.valueOf(r.partition()), r.offset(), r.key(), r.value()));
        }
        return polled;
    }

    @Override
    protected void commit(List<QueueMessage> delivered) {
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        for (QueueMessage m : delivered) {
            next.put(new TopicPartition(m.topic(), Integer.parseInt(m.queue())), new OffsetAndMetadata(m.offset() + 1));
        }
        consumer.commitSync(next);
    }

    @Override
    protected void disconnect() {
        if (consumer != null) {
            try {
                consumer.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                // a client that failed is closed as far as it goes
            }
            consumer = null;
        }
    }
}
