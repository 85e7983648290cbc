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

    /** Idempotent KafkaProducer, acks=all, Tributary's batch size, linger and compression; all sends async, then every ack awaited. */
    static RawEngine.BatchSender kafka(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
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

    /**
     * The glue a user writes around the engine to keep a table equal to the source, as Kafka Connect's JDBC sink does:
     * one transaction per engine batch, a prepared upsert ({@code INSERT … ON CONFLICT (key) DO UPDATE}) and a delete
     * by key, JDBC-batched; the pending batch is executed whenever the statement kind changes, so the order of the
     * changes holds. Columns and values come from the change's SourceRecord (a timestamp with time zone is Debezium's
     * ISO string, bound as an OffsetDateTime).
     *
     * @param url a PostgreSQL JDBC URL with user and password in it
     */
    static RawEngine.BatchSender jdbc(String url, String table) throws Exception {
        java.sql.Connection connection = java.sql.DriverManager.getConnection(url);
        connection.setAutoCommit(false);
        return new RawEngine.BatchSender() {
            java.sql.PreparedStatement upsert;
            java.sql.PreparedStatement delete;
            java.sql.PreparedStatement pending;
            List<Field> columns;
            List<Field> keys;

            @Override
            public void send(List<ChangeEvent<String, String>> changes) throws Exception {
                for (ChangeEvent<String, String> c : changes) {
                    SourceRecord record = ((EmbeddedEngineChangeEvent<?, ?, ?>) c).sourceRecord();
                    if (!(record.value() instanceof Struct envelope) || envelope.schema().field("op") == null) {
                        continue; // a tombstone or a schema change
                    }
                    Struct key = (Struct) record.key();
                    if (envelope.getString("op").equals("d")) {
                        prepare(key, envelope.getStruct("before"));
                        java.sql.PreparedStatement st = switchTo(delete);
                        bind(st, key, keys, 1);
                        st.addBatch();
                    } else {
                        Struct after = envelope.getStruct("after");
                        prepare(key, after);
                        java.sql.PreparedStatement st = switchTo(upsert);
                        bind(st, after, columns, 1);
                        st.addBatch();
                    }
                }
                if (pending != null) {
                    pending.executeBatch();
                }
                connection.commit();
            }

            private java.sql.PreparedStatement switchTo(java.sql.PreparedStatement next) throws java.sql.SQLException {
                if (pending != null && pending != next) {
                    pending.executeBatch();
                }
                pending = next;
                return next;
            }

            private void prepare(Struct key, Struct row) throws java.sql.SQLException {
                if (upsert != null) {
                    return;
                }
                columns = row.schema().fields();
                keys = key.schema().fields();
                List<String> names = columns.stream().map(Field::name).toList();
                List<String> keyNames = keys.stream().map(Field::name).toList();
                String set = names.stream().filter(n -> !keyNames.contains(n)).map(n -> n + " = EXCLUDED." + n)
                        .collect(java.util.stream.Collectors.joining(", "));
                upsert = connection.prepareStatement("INSERT INTO " + table + " (" + String.join(", ", names) + ") VALUES ("
                        + String.join(", ", java.util.Collections.nCopies(names.size(), "?")) + ") ON CONFLICT (" + String.join(", ", keyNames)
                        + ") DO UPDATE SET " + set);
                delete = connection.prepareStatement("DELETE FROM " + table + " WHERE "
                        + keyNames.stream().map(n -> n + " = ?").collect(java.util.stream.Collectors.joining(" AND ")));
            }

            private void bind(java.sql.PreparedStatement st, Struct row, List<Field> fields, int first) throws java.sql.SQLException {
                for (int i = 0; i < fields.size(); i++) {
                    Field f = fields.get(i);
                    Object v = row.get(f.name());
                    if (v != null && "io.debezium.time.ZonedTimestamp".equals(f.schema().name())) {
                        v = java.time.OffsetDateTime.parse((String) v);
                    }
                    st.setObject(first + i, v);
                }
            }

            @Override
            public void close() {
                try {
                    connection.close();
                } catch (java.sql.SQLException ignored) {
                    // the run is over
                }
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
