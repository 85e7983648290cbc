package sources;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A snapshot's last row is the record whose source block says {@code snapshot = last}, whatever the schema instance. */
class LastSnapshotRecordTest {

    private static Schema source() {
        return SchemaBuilder.struct().name("source").field("table", Schema.STRING_SCHEMA).field("snapshot", Schema.OPTIONAL_STRING_SCHEMA).build();
    }

    private static SourceRecord record(Schema envelope, Schema sourceSchema, String snapshot) {
        Struct value = new Struct(envelope).put("source", new Struct(sourceSchema).put("table", "t").put("snapshot", snapshot));
        return new SourceRecord(Map.of(), Map.of(), "topic", envelope, value);
    }

    @Test
    void onlyTheRowMarkedLastIsTheLast() {
        Schema sourceSchema = source();
        Schema envelope = SchemaBuilder.struct().name("envelope").field("source", sourceSchema).build();
        SnapshotOffsets.LastSnapshotRecord last = new SnapshotOffsets.LastSnapshotRecord();
        assertFalse(last.test(record(envelope, sourceSchema, "true")));
        assertTrue(last.test(record(envelope, sourceSchema, "last")));
        assertFalse(last.test(record(envelope, sourceSchema, null)));
        assertTrue(last.test(record(envelope, source(), "last")), "a source block of an equal schema, another instance");
    }

    @Test
    void recordsWithoutASourceBlockAreNeverTheLast() {
        Schema marker = SchemaBuilder.struct().name("marker").field("id", Schema.STRING_SCHEMA).build();
        SnapshotOffsets.LastSnapshotRecord last = new SnapshotOffsets.LastSnapshotRecord();
        assertFalse(last.test(new SourceRecord(Map.of(), Map.of(), "topic", marker, new Struct(marker).put("id", "x"))));
        assertFalse(last.test(new SourceRecord(Map.of(), Map.of(), "topic", null, null)));
    }
}
