package sinks.kafka;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the ids ({@link KafkaRecords#ID_HEADER}) of the last records a pipeline wrote to its topics: after a crash,
 * the batch Kafka acknowledged just before the process died is there although its ids were never recorded — dedup
 * adds them before the first batch (processors.dedup.Deduplicator), so the source's re-delivery of it is dropped too.
 */
public final class KafkaTail {

    private KafkaTail() {
    }

    /**
     * @param topics       topic names; {@code {schema}} / {@code {table}} templates match any existing topic of that shape
     * @param perPartition how many of the newest records of each partition to read
     * @param settings     extra Kafka client properties (security, …)
     */
    public static Set<String> recentIds(String brokers, Map<String, String> settings, String pipeline, Collection<String> topics,
                                        int perPartition) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        p.putAll(settings);
        Set<String> ids = new HashSet<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> partitions = new ArrayList<>();
            Map<String, List<PartitionInfo>> existing = consumer.listTopics(Duration.ofSeconds(10));
            for (String topic : topics) {
                Pattern shape = Pattern.compile(Pattern.quote(topic).replace("{schema}", "\\E.+\\Q").replace("{table}", "\\E.+\\Q"));
                existing.forEach((name, infos) -> {
                    if (shape.matcher(name).matches()) {
                        infos.forEach(i -> partitions.add(new TopicPartition(name, i.partition())));
                    }
                });
            }
            if (partitions.isEmpty()) {
                return ids;
            }
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(10));
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, Duration.ofSeconds(10));
            for (TopicPartition tp : partitions) {
                consumer.seek(tp, Math.max(begin.get(tp), end.get(tp) - perPartition));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read the newest records of " + partitions + " within 30 s");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    Header owner = r.headers().lastHeader(KafkaRecords.PIPELINE_HEADER);
                    Header id = r.headers().lastHeader(KafkaRecords.ID_HEADER);
                    if (id != null && owner != null && pipeline.equals(new String(owner.value(), StandardCharsets.UTF_8))) {
                        ids.add(new String(id.value(), StandardCharsets.UTF_8));
                    }
                }
            }
        }
        return ids;
    }
}
