package bench;

import io.debezium.engine.ChangeEvent;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageQueue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;

/** Hand-written baseline senders on the plain clients, configured like Tributary's sinks. */
final class RawSenders {

    private RawSenders() {
    }

    /** Idempotent KafkaProducer, acks=all, Tributary's batch size and linger; all sends async, then every ack awaited. */
    static RawEngine.BatchSender kafka(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
        KafkaProducer<String, String> producer = new KafkaProducer<>(p);
        return new RawEngine.BatchSender() {
            @Override
            public void send(List<ChangeEvent<String, String>> changes) throws Exception {
                List<Future<RecordMetadata>> sends = new ArrayList<>(changes.size());
                for (ChangeEvent<String, String> c : changes) {
                    sends.add(producer.send(new ProducerRecord<>(topic, c.key(), c.value())));
                }
                for (Future<RecordMetadata> f : sends) {
                    f.get();
                }
            }

            @Override
            public void close() {
                producer.close();
            }
        };
    }

    /**
     * DefaultMQProducer with the same selector as Tributary (floorMod(key.hashCode(), queues)), the batch grouped by
     * queue and each group sent as RocketMQ batches of 256, synchronously.
     */
    static RawEngine.BatchSender rocketmq(String namesrv, String topic) throws Exception {
        DefaultMQProducer producer = new DefaultMQProducer("raw_baseline");
        producer.setNamesrvAddr(namesrv);
        producer.setInstanceName("raw_baseline");
        producer.start();
        List<MessageQueue> queues = new ArrayList<>(producer.fetchPublishMessageQueues(topic));
        queues.sort(Comparator.comparing(MessageQueue::getBrokerName).thenComparingInt(MessageQueue::getQueueId));
        return new RawEngine.BatchSender() {
            @Override
            public void send(List<ChangeEvent<String, String>> changes) throws Exception {
                Map<MessageQueue, List<Message>> byQueue = new LinkedHashMap<>();
                for (ChangeEvent<String, String> c : changes) {
                    MessageQueue q = queues.get(Math.floorMod(c.key().hashCode(), queues.size()));
                    byQueue.computeIfAbsent(q, k -> new ArrayList<>()).add(new Message(topic, "t", c.value().getBytes(StandardCharsets.UTF_8)));
                }
                for (Map.Entry<MessageQueue, List<Message>> e : byQueue.entrySet()) {
                    List<Message> all = e.getValue();
                    for (int i = 0; i < all.size(); i += 256) {
                        producer.send(new ArrayList<>(all.subList(i, Math.min(all.size(), i + 256))), e.getKey());
                    }
                }
            }

            @Override
            public void close() {
                producer.shutdown();
            }
        };
    }
}
