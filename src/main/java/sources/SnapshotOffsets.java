package sources;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import processors.PerSchema;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** What Debezium's offsets and records say about its snapshot: whether one is still ahead, whether one has ended, which row is its last. */
public final class SnapshotOffsets {

    private SnapshotOffsets() {
    }

    /**
     * Whether the source will take a snapshot at this start: a snapshot mode that takes one, and no stored offset that
     * says a snapshot ended (Debezium takes an unfinished snapshot again from the start).
     */
    public static boolean snapshotAhead(Properties engine) throws IOException {
        String mode = engine.getProperty("snapshot.mode", "initial");
        if (!List.of("initial", "initial_only", "when_needed", "always").contains(mode)) {
            return false;
        }
        String file = engine.getProperty("offset.storage.file.filename");
        if (file == null) {
            return true;
        }
        List<Map<String, Object>> stored = AtomicFileOffsetStore.storedOffsets(Path.of(file));
        return stored.isEmpty() || stored.stream().anyMatch(o -> !done(o));
    }

    /**
     * Debezium's offset after a snapshot's end: no {@code snapshot} key (streaming), or one that says the snapshot
     * completed ({@code snapshot_completed}; PostgreSQL's {@code last_snapshot_record}, which it reads back as completed).
     */
    static boolean done(Map<String, ?> offset) {
        return offset != null && (!offset.containsKey("snapshot") || Boolean.TRUE.equals(offset.get("snapshot_completed"))
                || Boolean.TRUE.equals(offset.get("last_snapshot_record")));
    }

    /**
     * Tells a snapshot's last row (Debezium marks it {@code source.snapshot = last}). One per consumer: the envelope's
     * {@code source} field and that block's {@code snapshot} field are looked up once per envelope schema — by name for
     * every record they were a twentieth of the batch thread's time. A struct of an equal schema has its fields at
     * the same places.
     */
    static final class LastSnapshotRecord {
        private static final Field[] NONE = new Field[0];
        private final PerSchema<Field[]> fields = new PerSchema<>(LastSnapshotRecord::fieldsOf);

        synchronized boolean test(SourceRecord record) {
            if (!(record.value() instanceof Struct value)) {
                return false;
            }
            Field[] f = fields.get(value.schema());
            if (f == NONE) {
                return false;
            }
            Struct source = (Struct) value.get(f[0]);
            if (source instanceof processors.SourceBlockValues kept) { // read without filling the block's struct
                return "last".equals(kept.snapshot());
            }
            return source != null && "last".equals(source.get(f[1]));
        }

        /** {source, snapshot}, or NONE when the envelope has no such fields. */
        private static Field[] fieldsOf(Schema envelope) {
            Field source = envelope.field("source");
            if (source == null || source.schema().type() != Schema.Type.STRUCT) {
                return NONE;
            }
            Field snapshot = source.schema().field("snapshot");
            return snapshot == null ? NONE : new Field[]{source, snapshot};
        }
    }
}
