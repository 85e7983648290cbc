package bench;

import io.debezium.embedded.EmbeddedEngineChangeEvent;
import io.debezium.engine.ChangeEvent;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
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
     * queue and each group sent as RocketMQ batches of 256, synchronously. Each message has Tributary's shape
     * (docs/sinks/rocketmq.md): keys = the primary-key values, tag = the table, user properties db, table, op, commitTs,
     * position — read from the change's SourceRecord, the cheapest way a hand-written glue gets at them. (Keys and
     * properties cost the client and the broker: without them this baseline was 1.4× faster than with.)
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
                    Message m = message(topic, c);
                    if (m != null) {
                        MessageQueue q = queues.get(Math.floorMod(c.key().hashCode(), queues.size()));
                        byQueue.computeIfAbsent(q, k -> new ArrayList<>()).add(m);
                    }
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

    private static Message message(String topic, ChangeEvent<String, String> c) {
        SourceRecord record = ((EmbeddedEngineChangeEvent<?, ?, ?>) c).sourceRecord();
        Struct envelope = (Struct) record.value();
        if (envelope.schema().field("op") == null) {
            return null; // a schema change (the engine's recovery at its first start records the tables)
        }
        Struct source = envelope.getStruct("source");
        String table = source.getString("table");
        Message m = new Message(topic, table, c.value().getBytes(StandardCharsets.UTF_8));
        Struct key = (Struct) record.key();
        List<String> keys = new ArrayList<>(2);
        for (Field f : key.schema().fields()) {
            keys.add(String.valueOf(key.get(f)));
        }
        m.setKeys(keys);
        m.putUserProperty("db", source.getString("db"));
        m.putUserProperty("table", source.getString("db") + "." + table);
        m.putUserProperty("op", envelope.getString("op"));
        m.putUserProperty("commitTs", String.valueOf(source.getInt64("ts_ms")));
        m.putUserProperty("position", source.getString("file") + ":" + source.getInt64("pos") + ":" + source.getInt32("row"));
        return m;
    }
}
