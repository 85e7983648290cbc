package bench;

import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.format.Json;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.file.Path;
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
 * The baselines: Debezium's embedded engine with the connector settings Tributary uses, on its own slot, with
 * Debezium's JSON converter ({@code schemas.enable=false}) and either no sink at all (the source's ceiling) or a plain
 * idempotent KafkaProducer (acks=all, Tributary's batch size and linger) whose batch is committed after every
 * acknowledgement — what Debezium Server does.
 */
final class RawEngine {

    private final Properties props = new Properties();
    private final String kafka;
    private final AtomicLong handled = new AtomicLong();
    private final AtomicBoolean started = new AtomicBoolean();

    /** @param kafka bootstrap servers, or null for no sink */
    RawEngine(String name, int pgPort, Path offsets, String kafka) {
        this.kafka = kafka;
        props.put("name", name);
        props.put("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        props.put("offset.storage", "org.apache.kafka.connect.storage.FileOffsetBackingStore");
        props.put("offset.storage.file.filename", offsets.toString());
        props.put("offset.flush.interval.ms", "1000");
        props.put("database.hostname", "localhost");
        props.put("database.port", String.valueOf(pgPort));
        props.put("database.user", "postgres");
        props.put("database.password", "pw");
        props.put("database.dbname", "postgres");
        props.put("topic.prefix", name);
        props.put("plugin.name", "pgoutput");
        props.put("slot.name", name);
        props.put("publication.name", name);
        props.put("publication.autocreate.mode", "filtered");
        props.put("table.include.list", "public\\.t");
        props.put("snapshot.mode", "no_data");
        props.put("poll.interval.ms", "100");
        props.put("column.propagate.source.type", ".*");
        props.put("tombstones.on.delete", "false");
        props.put("converter.schemas.enable", "false");
    }

    /** Starts once so the slot exists before the backlog is written. */
    void createSlot() throws Exception {
        run(0);
    }

    /** Catches up {@code rows} changes; returns events/s from the first to the last change handled. */
    double catchUp(int rows) throws Exception {
        return run(rows);
    }

    private double run(int rows) throws Exception {
        long[] first = {0};
        long[] last = {0};
        handled.set(0);
        started.set(false);
        try (KafkaProducer<String, String> producer = kafka == null ? null : producer()) {
            DebeziumEngine<ChangeEvent<String, String>> engine = DebeziumEngine.create(Json.class)
                    .using(props)
                    .notifying((records, committer) -> {
                        if (first[0] == 0 && !records.isEmpty()) {
                            first[0] = System.nanoTime();
                        }
                        List<Future<RecordMetadata>> sends = new ArrayList<>(records.size());
                        int changes = 0;
                        for (ChangeEvent<String, String> r : records) {
                            if (r.value() != null && !r.destination().startsWith("__debezium")) {
                                changes++;
                                if (producer != null) {
                                    sends.add(producer.send(new ProducerRecord<>(r.destination(), r.key(), r.value())));
                                }
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
                        handled.addAndGet(changes);
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
            PgToKafkaThroughput.waitUntil(() -> started.get() && handled.get() >= rows);
            engine.close();
            executor.shutdown();
            executor.awaitTermination(30, TimeUnit.SECONDS);
        }
        return rows == 0 ? 0 : rows / ((last[0] - first[0]) / 1e9);
    }

    private KafkaProducer<String, String> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
        return new KafkaProducer<>(p);
    }
}
