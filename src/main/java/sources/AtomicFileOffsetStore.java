package sources;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.runtime.standalone.StandaloneConfig;
import org.apache.kafka.connect.storage.FileOffsetBackingStore;
import org.apache.kafka.connect.storage.Converter;

import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Kafka Connect's file offset store, written atomically. The stock store truncates its file and writes it anew in
 * place; a kill -9 in between leaves an empty or cut file, which it then reads as "no offsets" without a word — a
 * binlog pipeline starts again at the server's current position (changes lost), a snapshot pipeline takes its
 * snapshot again. Here the offsets go to a temporary file first, which then replaces the old one by an atomic rename:
 * a reader sees the old offsets or the new ones, never a cut file. (Not fsync'ed: this guards against the process
 * dying, which the page cache survives; a machine crash is a different promise, see docs/reliability.md.)
 * Offsets are committed after every batch ({@link CommitEveryBatch}), so this runs once per batch.
 */
public class AtomicFileOffsetStore extends FileOffsetBackingStore {

    private static final ObjectMapper JSON = new ObjectMapper();
    private Path file;

    public AtomicFileOffsetStore() {
        super(jsonKeys());
    }

    public AtomicFileOffsetStore(Converter keyConverter) {
        super(keyConverter);
    }

    private static Converter jsonKeys() {
        org.apache.kafka.connect.json.JsonConverter keys = new org.apache.kafka.connect.json.JsonConverter();
        keys.configure(Map.of("schemas.enable", "false"), true);
        return keys;
    }

    @Override
    public void configure(WorkerConfig config) {
        super.configure(config);
        file = Path.of(config.getString(StandaloneConfig.OFFSET_STORAGE_FILE_FILENAME_CONFIG));
    }

    @Override
    protected void save() {
        Map<byte[], byte[]> raw = new HashMap<>();
        for (Map.Entry<ByteBuffer, ByteBuffer> e : data.entrySet()) {
            raw.put(e.getKey() != null ? e.getKey().array() : null, e.getValue() != null ? e.getValue().array() : null);
        }
        try {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            try (ObjectOutputStream os = new ObjectOutputStream(bytes)) {
                os.writeObject(raw);
            }
            state.AtomicFiles.write(file, bytes.toByteArray());
        } catch (IOException e) {
            throw new ConnectException(e);
        }
    }

    /**
     * The offsets stored in such a file (any engine name, any partition), each as the JSON object Debezium wrote;
     * empty when there is no file.
     */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> storedOffsets(Path file) throws IOException {
        List<Map<String, Object>> offsets = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file); ObjectInputStream is = new ObjectInputStream(in)) {
            Object obj = is.readObject();
            for (byte[] value : ((Map<byte[], byte[]>) obj).values()) {
                if (value != null) {
                    offsets.add(JSON.readValue(value, Map.class));
                }
            }
        } catch (NoSuchFileException | java.io.EOFException none) {
            return offsets;
        } catch (ClassNotFoundException e) {
            throw new IOException(e);
        }
        return offsets;
    }
}
