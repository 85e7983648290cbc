package bench;

import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.format.Json;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fair baseline, as Debezium Server does it: the embedded engine with Debezium's own JSON converter
 * ({@code schemas.enable=false}), a plain idempotent KafkaProducer (acks=all, same batch size and linger as Tributary),
 * each batch sent asynchronously and committed after every acknowledgement.
 */
final class RawEngineToKafka {

    private final Properties props = new Properties();
    private final String bootstrap;
    private final AtomicLong acked = new AtomicLong();
    private final AtomicBoolean started = new AtomicBoolean();

    RawEngineToKafka(int pgPort, java.nio.file.Path offsets, String bootstrap) {
        this.bootstrap = bootstrap;
        props.put("name", "raw-kafka");
        props.put("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        props.put("offset.storage", "org.apache.kafka.connect.storage.FileOffsetBackingStore");
        props.put("offset.storage.file.filename", offsets.toString());
        props.put("offset.flush.interval.ms", "1000");
        props.put("database.hostname", "localhost");
        props.put("database.port", String.valueOf(pgPort));
        props.put("database.user", "postgres");
        props.put("database.password", "pw");
        props.put("database.dbname", "postgres");
        props.put("topic.prefix", "rawkafka");
        props.put("plugin.name", "pgoutput");
        props.put("slot.name", "raw_kafka_baseline");
        props.put("publication.name", "raw_kafka_baseline");
        props.put("publication.autocreate.mode", "filtered");
        props.put("table.include.list", "public\\.t");
        props.put("snapshot.mode", "no_data");
        props.put("poll.interval.ms", "100");
        props.put("tombstones.on.delete", "false");
        props.put("converter.schemas.enable", "false");
    }

    void createSlot() throws Exception {
        run(0);
    }

    double catchUp(int rows) throws Exception {
        return run(rows);
    }

    private double run(int rows) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
        long[] first = {0};
        long[] last = {0};
        acked.set(0);
        started.set(false);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            DebeziumEngine<ChangeEvent<String, String>> engine = DebeziumEngine.create(Json.class)
                    .using(props)
                    .notifying((records, committer) -> {
                        if (first[0] == 0 && !records.isEmpty()) {
                            first[0] = System.nanoTime();
                        }
                        List<Future<RecordMetadata>> sends = new ArrayList<>(records.size());
                        int data = 0;
                        for (ChangeEvent<String, String> r : records) {
                            if (r.value() != null && !r.destination().startsWith("__debezium")) {
                                sends.add(producer.send(new ProducerRecord<>("rawkafka.t", r.key(), r.value())));
                                data++;
                            }
                        }
                        try {
                            for (Future<RecordMetadata> f : sends) {
                                f.get();
                            }
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                        for (ChangeEvent<String, String> r : records) {
                            committer.markProcessed(r);
                        }
                        committer.markBatchFinished();
                        acked.addAndGet(data);
                        last[0] = System.nanoTime();
                    })
                    .using(new DebeziumEngine.ConnectorCallback() {
                        @Override
                        public void taskStarted() {
                            started.set(true);
                        }
                    })
                    .build();
            ExecutorService executor = Executors.newSingleThreadExecutor();
            executor.submit(engine);
            while (!started.get() || acked.get() < rows) {
                Thread.sleep(1);
            }
            engine.close();
            executor.shutdown();
            executor.awaitTermination(30, TimeUnit.SECONDS);
        }
        return rows == 0 ? 0 : rows / ((last[0] - first[0]) / 1e9);
    }
}
