package io.debezium.connector.postgresql;

import io.debezium.config.Configuration;
import io.debezium.connector.SnapshotRecord;
import io.debezium.connector.postgresql.connection.Lsn;
import io.debezium.relational.TableId;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;
import processors.SourceBlockValues;
import sources.postgres.PostgresSourceBlocks;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tributary's PostgreSQL source block (sources.postgres.PostgresSourceBlocks) against Debezium's: the same schema, and
 * for every kind of change the same values, the same checks, the same text — though it fills its struct only when it
 * is read, after the connector's SourceInfo has moved on to the next change.
 */
class PostgresSourceBlocksTest {

    private static final PostgresConnectorConfig CONFIG = new PostgresConnectorConfig(Configuration.create()
            .with("topic.prefix", "shop").with("database.dbname", "orders").with("database.hostname", "h").build());

    private final PostgresSourceInfoStructMaker debezium = new PostgresSourceInfoStructMaker();
    private final PostgresSourceBlocks ours = new PostgresSourceBlocks();

    PostgresSourceBlocksTest() {
        debezium.init("postgresql", "3.4.0.Final", CONFIG);
        ours.init("postgresql", "3.4.0.Final", CONFIG);
    }

    /** Streamed changes, snapshot rows of each kind, an incremental snapshot's row, unknown positions and times. */
    private static List<SourceInfo> changes() {
        List<SourceInfo> infos = new ArrayList<>();
        Instant commit = Instant.parse("2026-12-06T09:15:30.123456789Z");
        for (SnapshotRecord snapshot : new SnapshotRecord[]{null, SnapshotRecord.FALSE, SnapshotRecord.TRUE, SnapshotRecord.FIRST,
                SnapshotRecord.LAST, SnapshotRecord.LAST_IN_DATA_COLLECTION, SnapshotRecord.INCREMENTAL}) {
            SourceInfo full = new SourceInfo(CONFIG);
            full.updateLastCommit(Lsn.valueOf(24_000_000L));
            full.update(Lsn.valueOf(24_023_128L), commit, 7_771L, 901L, new TableId(null, "public", "orders"), null);
            full.setSnapshot(snapshot);
            infos.add(full);
            SourceInfo bare = new SourceInfo(CONFIG);
            bare.update(null, Instant.EPOCH, null, null, new TableId(null, "sales", "line"), null);
            bare.setSnapshot(snapshot);
            infos.add(bare);
        }
        return infos;
    }

    @Test
    void everyFieldHoldsWhatDebeziumsBlockHoldsThoughTheSourceInfoMovedOn() {
        assertEquals(debezium.schema(), ours.schema());
        for (SourceInfo info : changes()) {
            Struct expected = debezium.struct(info);
            Struct block = ours.struct(info);
            // the connector's SourceInfo moves on to the next change before anything reads this one's block
            info.update(Lsn.valueOf(99_999_999L), Instant.now(), 1L, 2L, new TableId(null, "other", "table"), null);
            info.updateLastCommit(Lsn.valueOf(99_999_998L));
            info.setSnapshot(SnapshotRecord.FALSE);
            for (Field f : expected.schema().fields()) {
                assertEquals(expected.get(f), block.get(f), f.name() + " of " + expected);
            }
            assertEquals(expected, block);
            assertEquals(block, expected);
            assertEquals(expected.hashCode(), block.hashCode());
            assertEquals(expected.toString(), block.toString());
            block.validate();
        }
    }

    @Test
    void whatTheNormalizerReadsMatchesTheFilledFields() {
        for (SourceInfo info : changes()) {
            Struct expected = debezium.struct(info);
            SourceBlockValues block = (SourceBlockValues) ours.struct(info);
            assertEquals(expected.get("connector"), block.connector());
            assertEquals(expected.get("db"), block.database());
            assertEquals(expected.get("schema"), block.schemaName());
            assertEquals(expected.get("table"), block.tableName());
            assertEquals(expected.get("txId"), block.transaction());
            Object lsn = expected.get("lsn");
            assertEquals(lsn == null ? null : lsn.toString(), block.logPosition());
            long micros = expected.getInt64("ts_us");
            assertEquals(Instant.ofEpochSecond(micros / 1_000_000, micros % 1_000_000 * 1_000), block.commitTime());
            Object snapshot = expected.get("snapshot");
            assertEquals("false".equals(snapshot) ? null : snapshot, block.snapshot());
        }
    }

    @Test
    void theStreamingMetricsReadTheSameWithoutFillingTheBlock() {
        PostgresEventMetadataProvider metadata = new PostgresEventMetadataProvider();
        Schema envelope = SchemaBuilder.struct().field("source", ours.schema()).build();
        TableId table = new TableId(null, "public", "orders");
        for (SourceInfo info : changes()) {
            Struct expected = new Struct(envelope).put("source", debezium.struct(info));
            Struct block = ours.struct(info);
            Struct change = new Struct(envelope).put("source", block);
            assertEquals(metadata.getEventTimestamp(table, null, null, expected), metadata.getEventTimestamp(table, null, null, change));
            assertEquals(metadata.getEventSourcePosition(table, null, null, expected), metadata.getEventSourcePosition(table, null, null, change));
            assertEquals(metadata.getTransactionId(table, null, null, expected), metadata.getTransactionId(table, null, null, change));
            assertTrue(unfilled(block));
        }
    }

    @Test
    void aPutFillsTheBlockFirstAndIsCheckedAsAnyPut() {
        SourceInfo info = changes().get(0);
        Struct block = ours.struct(info);
        block.put("table", "renamed");
        assertEquals("renamed", block.get("table"));
        assertEquals("public", block.get("schema"), "the rest was filled before the put");
        assertThrows(DataException.class, () -> block.put("lsn", "not a number"));
    }

    @Test
    void anEnvelopeTakesTheBlockWithoutFillingIt() {
        SourceInfo info = changes().get(0);
        Struct block = ours.struct(info);
        Schema envelope = SchemaBuilder.struct().field("source", ours.schema()).field("op", Schema.STRING_SCHEMA).build();
        Struct change = new Struct(envelope).put("source", block).put("op", "c");
        change.validate();
        assertTrue(unfilled(block), "putting the block into its envelope and checking the envelope does not fill it");
        assertEquals("orders", change.getStruct("source").getString("table"));
        assertFalse(unfilled(block));
    }

    @Test
    void aBlockWithoutItsTableFailsAtOnceAsDebeziumsDoes() {
        SourceInfo info = new SourceInfo(CONFIG); // never updated: no schema, no table
        assertThrows(IllegalStateException.class, () -> ours.struct(info));
        assertNull(info.tableName());
    }

    private static boolean unfilled(Struct block) {
        try {
            java.lang.reflect.Field f = Struct.class.getDeclaredField("unfilled");
            f.setAccessible(true);
            return f.getBoolean(block);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
