package testsupport;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;

/** Reads what is really on a topic. */
public final class Topics {

    private Topics() {
    }

    /** Every record of the topic, polling until {@code done} holds for what was read or the timeout passes. */
    public static List<ConsumerRecord<String, String>> readUntil(String bootstrap, String topic,
                                                                 Predicate<List<ConsumerRecord<String, String>>> done,
                                                                 Duration timeout) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> partitions = new ArrayList<>();
            while (partitions.isEmpty() && System.nanoTime() < deadline) {
                List<PartitionInfo> info = consumer.partitionsFor(topic, Duration.ofSeconds(5));
                if (info != null) {
                    info.forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (!done.test(records) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    /** Reads until at least {@code count} records arrived (or the timeout passed), then a little longer for extras. */
    public static List<ConsumerRecord<String, String>> readAtLeast(String bootstrap, String topic, int count, Duration timeout) {
        return readUntil(bootstrap, topic, r -> r.size() >= count, timeout);
    }

    /**
     * A test's own producer of text records, in order per partition and not idempotent: an idempotent producer on a
     * topic created a moment ago can meet OUT_OF_ORDER_SEQUENCE_NUMBER after the partition's first leader change and
     * retry the same batch until its delivery timeout (seen in a clean clone); one request in flight keeps the order.
     */
    public static org.apache.kafka.clients.producer.KafkaProducer<String, String> producer(String bootstrap) {
        return new org.apache.kafka.clients.producer.KafkaProducer<>(java.util.Map.of("bootstrap.servers", bootstrap,
                "enable.idempotence", "false", "acks", "all", "max.in.flight.requests.per.connection", "1"),
                new org.apache.kafka.common.serialization.StringSerializer(), new org.apache.kafka.common.serialization.StringSerializer());
    }
}
