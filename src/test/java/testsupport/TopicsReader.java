package testsupport;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;

/** Reads several topics from their beginning and keeps reading: each topic's records in topic order (per partition). */
public final class TopicsReader implements AutoCloseable {

    private final KafkaConsumer<String, String> consumer;
    private final Map<String, List<ConsumerRecord<String, String>>> records = new LinkedHashMap<>();

    public TopicsReader(String bootstrap, List<String> topics) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        consumer = new KafkaConsumer<>(p);
        List<TopicPartition> partitions = new ArrayList<>();
        for (String t : topics) {
            records.put(t, new ArrayList<>());
            List<PartitionInfo> info = consumer.partitionsFor(t, Duration.ofSeconds(10));
            if (info != null) {
                info.forEach(i -> partitions.add(new TopicPartition(t, i.partition())));
            }
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Polls until {@code done} holds for what was read so far (checked about once a second) or the timeout passes. */
    public Map<String, List<ConsumerRecord<String, String>>> readUntil(Predicate<Map<String, List<ConsumerRecord<String, String>>>> done,
                                                                      Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long nextCheck = 0;
        while (System.nanoTime() < deadline) {
            boolean quiet = true;
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                records.get(r.topic()).add(r);
                quiet = false;
            }
            if ((quiet || System.nanoTime() > nextCheck) && done.test(records)) {
                break;
            }
            nextCheck = System.nanoTime() + 1_000_000_000L;
        }
        return records;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
