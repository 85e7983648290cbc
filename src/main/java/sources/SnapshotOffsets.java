package sources;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** What Debezium's offsets and records say about its snapshot: whether one is still ahead, whether one has ended, which row is its last. */
final class SnapshotOffsets {

    private SnapshotOffsets() {
    }

    /**
     * Whether the source will take a snapshot at this start: a snapshot mode that takes one, and no stored offset that
     * says a snapshot ended (Debezium takes an unfinished snapshot again from the start).
     */
    static boolean snapshotAhead(Properties engine) throws IOException {
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

    /** The record is a snapshot's last row (Debezium marks it {@code source.snapshot = last}). */
    static boolean isLastSnapshotRecord(SourceRecord record) {
        if (record.value() instanceof Struct value) {
            SnapshotField f = snapshotField(value.schema());
            if (f.source != null) {
                Struct source = (Struct) value.get(f.source);
                if (source == null) {
                    return false;
                }
                if (source.schema() == f.sourceSchema) {
                    return f.snapshot != null && "last".equals(source.get(f.snapshot));
                }
                // a source of an equal schema, not the field's own instance
                return source.schema().field("snapshot") != null && "last".equals(source.get("snapshot"));
            }
        }
        return false;
    }

    /** An envelope schema's {@code source} field and the source schema's {@code snapshot} field, looked up once per schema: by name for every record they were a twentieth of the batch thread's time. */
    private record SnapshotField(Schema envelope, Field source, Schema sourceSchema, Field snapshot) {
    }

    private static volatile SnapshotField last;

    private static SnapshotField snapshotField(Schema envelope) {
        SnapshotField f = last;
        if (f == null || f.envelope != envelope) {
            Field source = envelope.field("source");
            Schema sourceSchema = source == null ? null : source.schema();
            Field snapshot = sourceSchema == null || sourceSchema.type() != Schema.Type.STRUCT ? null : sourceSchema.field("snapshot");
            last = f = new SnapshotField(envelope, source, sourceSchema, snapshot);
        }
        return f;
    }
}
