package bench;

import io.debezium.embedded.Connect;
import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import org.apache.kafka.connect.source.SourceRecord;

import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** The baseline: Debezium's embedded engine with the connector settings Tributary uses, and a sink that does nothing. */
final class RawEngine {

    private final Properties props = new Properties();
    private final AtomicLong seen = new AtomicLong();

    RawEngine(int port, Path offsets) {
        props.put("name", "raw");
        props.put("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        props.put("offset.storage", "org.apache.kafka.connect.storage.FileOffsetBackingStore");
        props.put("offset.storage.file.filename", offsets.toString());
        props.put("offset.flush.interval.ms", "1000");
        props.put("database.hostname", "localhost");
        props.put("database.port", String.valueOf(port));
        props.put("database.user", "postgres");
        props.put("database.password", "pw");
        props.put("database.dbname", "postgres");
        props.put("topic.prefix", "raw");
        props.put("plugin.name", "pgoutput");
        props.put("slot.name", "raw_baseline");
        props.put("publication.name", "raw_baseline");
        props.put("publication.autocreate.mode", "filtered");
        props.put("table.include.list", "public\\.t");
        props.put("snapshot.mode", "no_data");
        props.put("poll.interval.ms", "100");
        props.put("column.propagate.source.type", ".*");
        props.put("tombstones.on.delete", "false");
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
        DebeziumEngine<ChangeEvent<SourceRecord, SourceRecord>> engine = DebeziumEngine.create(Connect.class)
                .using(props)
                .notifying((records, committer) -> {
                    if (first[0] == 0) {
                        first[0] = System.nanoTime();
                    }
                    for (ChangeEvent<SourceRecord, SourceRecord> r : records) {
                        if (r.value() != null && r.value().value() != null && !r.value().topic().startsWith("__debezium")) {
                            seen.incrementAndGet();
                        }
                        committer.markProcessed(r);
                    }
                    committer.markBatchFinished();
                    last[0] = System.nanoTime();
                })
                .using(new DebeziumEngine.ConnectorCallback() {
                    @Override
                    public void taskStarted() {
                        started.set(true);
                    }
                })
                .build();
        started.set(false);
        seen.set(0);
        ExecutorService executor = Executors.newSingleThreadExecutor();
        executor.submit(engine);
        while (!started.get() || seen.get() < rows) {
            Thread.sleep(1);
        }
        engine.close();
        executor.shutdown();
        executor.awaitTermination(30, TimeUnit.SECONDS);
        return rows == 0 ? 0 : rows / ((last[0] - first[0]) / 1e9);
    }

    private final java.util.concurrent.atomic.AtomicBoolean started = new java.util.concurrent.atomic.AtomicBoolean();
}
