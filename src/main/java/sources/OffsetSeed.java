package sources;

import io.debezium.embedded.EmbeddedWorkerConfig;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.storage.FileOffsetBackingStore;
import org.apache.kafka.connect.storage.OffsetStorageWriter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Writes a source offset before an engine's first start, through the same Kafka Connect store and converters the
 * Debezium engine reads it with — so a pipeline can begin at a position Debezium cannot find by itself (a binlog file
 * chosen by time).
 */
public final class OffsetSeed {

    private OffsetSeed() {
    }

    /** Whether the engine configured by these properties has no stored offset yet. */
    public static boolean absent(Properties engine) {
        String file = engine.getProperty("offset.storage.file.filename");
        return file == null || !Files.exists(Path.of(file));
    }

    /** Stores {@code offset} for {@code partition} under the engine's name, in its file offset store. */
    public static void write(Properties engine, Map<String, ?> partition, Map<String, ?> offset) throws Exception {
        Map<String, String> config = new HashMap<>();
        engine.stringPropertyNames().forEach(k -> config.put(k, engine.getProperty(k)));
        Files.createDirectories(Path.of(config.get("offset.storage.file.filename")).getParent());
        JsonConverter keys = new JsonConverter();
        keys.configure(Map.of("schemas.enable", "false"), true);
        JsonConverter values = new JsonConverter();
        values.configure(Map.of("schemas.enable", "false"), false);
        FileOffsetBackingStore store = new AtomicFileOffsetStore(keys);
        store.configure(new EmbeddedWorkerConfig(config));
        store.start();
        try {
            OffsetStorageWriter writer = new OffsetStorageWriter(store, engine.getProperty("name"), keys, values);
            writer.offset(partition, offset);
            writer.beginFlush(10, TimeUnit.SECONDS);
            writer.doFlush((error, result) -> {
            }).get(10, TimeUnit.SECONDS);
        } finally {
            store.stop();
        }
    }
}
