package snapshots;

import model.ChangeEvent;
import model.Op;
import model.SourcePosition;
import model.TableId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SnapshotLedgerTest {

    static final TableId ORDERS = new TableId("shop", "public", "orders");
    static final TableId ITEMS = new TableId("shop", "public", "items");

    @TempDir
    Path dir;

    static ChangeEvent read(TableId table, Object id, String customer) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("customer", customer);
        row.put("note", "x");
        Map<String, String> types = new LinkedHashMap<>();
        types.put("id", "INT4");
        types.put("customer", "TEXT");
        types.put("note", "TEXT");
        return ChangeEvent.row("p", Op.READ, table, null, row, List.of("id"), types,
                new SourcePosition("postgresql", "100", null, 0, Instant.EPOCH, true));
    }

    static List<ChangeEvent> reads(TableId table, int from, int to) {
        List<ChangeEvent> l = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            l.add(read(table, i, "c" + i));
        }
        return l;
    }

    SnapshotLedger ledger() {
        return new SnapshotLedger(dir.resolve("ledger"), "p", t -> t.equals(ORDERS) ? List.of("customer") : List.of(), 100);
    }

    static List<ChangeEvent> drain(SnapshotLedger l) {
        List<ChangeEvent> all = new ArrayList<>();
        List<ChangeEvent> chunk;
        do {
            chunk = l.nextSweepChunk();
            assertTrue(chunk.size() <= 100);
            all.addAll(chunk);
        } while (!chunk.isEmpty());
        return all;
    }

    @Test
    void aRetakeDeletesWhatEarlierAttemptsDeliveredAndTheNewOneDidNot() {
        SnapshotLedger first = ledger();
        first.begin();
        first.record(reads(ORDERS, 1, 500));
        first.record(reads(ITEMS, 1, 50));
        // a crash; the second attempt reads part of the table before it crashes too, and delivers a streamed insert
        SnapshotLedger second = ledger();
        second.begin();
        second.record(reads(ORDERS, 1, 100));
        second.record(List.of(read(ORDERS, 9000, "late")));
        SnapshotLedger third = ledger();
        third.begin();
        List<ChangeEvent> now = new ArrayList<>(reads(ORDERS, 1, 500));
        now.removeIf(e -> ((Integer) e.after().get("id")) % 10 == 0); // 50 rows deleted while it was down
        third.record(now);
        third.record(reads(ITEMS, 1, 50));

        assertEquals(51, third.prepareSweep(), "50 deleted rows and the late insert, each once although two attempts saw them");
        List<ChangeEvent> deletes = drain(third);
        assertEquals(51, deletes.size());
        TreeSet<Integer> ids = new TreeSet<>();
        for (ChangeEvent d : deletes) {
            assertEquals(Op.DELETE, d.op());
            assertEquals(ORDERS, d.table());
            assertEquals(List.of("id"), d.primaryKey());
            assertEquals(Map.of("id", "INT4", "customer", "TEXT"), d.columns());
            assertTrue(d.before().get("customer").toString().startsWith(d.before().get("id").equals(9000) ? "late" : "c"),
                    "the sharding column travels with the key: the delete lands where the row's changes did");
            assertTrue(d.position().snapshot());
            ids.add((Integer) d.before().get("id"));
        }
        assertEquals(9000, ids.last());
        assertTrue(ids.headSet(9000).stream().allMatch(i -> i % 10 == 0));
        assertEquals(deletes.get(0).id().contains("retake-3"), true, "ids differ per attempt, so dedup never drops a later sweep");

        third.completed();
        assertFalse(Files.exists(dir.resolve("ledger")));
        SnapshotLedger fourth = ledger();
        fourth.begin();
        fourth.record(reads(ORDERS, 1, 10));
        assertEquals(0, fourth.prepareSweep(), "after a committed end nothing earlier is remembered");
    }

    @Test
    void deletesAndKeylessRowsAreNotRecorded() {
        SnapshotLedger first = ledger();
        first.begin();
        ChangeEvent keyless = ChangeEvent.row("p", Op.CREATE, ITEMS, null, Map.of("a", 1), List.of(), Map.of("a", "INT4"),
                new SourcePosition("postgresql", "1", null, 1, Instant.EPOCH, false));
        ChangeEvent delete = ChangeEvent.row("p", Op.DELETE, ITEMS, Map.of("id", 5), null, List.of("id"), Map.of("id", "INT4"),
                new SourcePosition("postgresql", "1", null, 1, Instant.EPOCH, false));
        first.record(List.of(keyless, delete));
        SnapshotLedger second = ledger();
        second.begin();
        assertEquals(0, second.prepareSweep());
    }

    @Test
    void valuesReadBackAsTheSameJavaValues() {
        byte[] bytes = {0, 9, 10, (byte) 255};
        Object[] values = {null, "tab\there\nnew\\line 中文", 7, 7L, (short) 7, new BigDecimal("12.50"), true, 1.5d, 2.5f,
                Instant.parse("2026-12-03T04:05:06.123456Z"), LocalDateTime.parse("2026-12-03T04:05:06.000001"),
                UUID.fromString("6b1e0f5e-1c1a-4d7e-9a51-7c64d3f0e7aa"), java.time.Duration.ofSeconds(90), List.of(1, 2),
                Integer.MIN_VALUE, Long.MAX_VALUE, -3};
        for (Object v : values) {
            String text = LedgerValues.encode(v);
            StringBuilder line = new StringBuilder("x");
            LedgerValues.append(line, v);
            assertEquals("x" + text, line.toString(), "a line gets what encode gives");
            assertFalse(text.contains("\t") || text.contains("\n"), text);
            assertEquals(v, LedgerValues.decode(text));
            if (v != null) {
                assertEquals(v.getClass(), LedgerValues.decode(text).getClass());
            }
        }
        assertArrayEquals(bytes, (byte[]) LedgerValues.decode(LedgerValues.encode(bytes)));
        assertEquals(new BigDecimal("12.50").scale(), ((BigDecimal) LedgerValues.decode(LedgerValues.encode(new BigDecimal("12.50")))).scale());
    }

    /** The bucket computed from the line as it is built is the bucket of the identity the sweep reads back. */
    @Test
    void aLineFallsInTheBucketOfItsIdentity() {
        model.TableId table = new model.TableId("db", "public", "orders");
        LedgerShapes.Shape oneKey = new LedgerShapes.Shape("postgresql", table, List.of("id"), List.of("region"), Map.of());
        LedgerShapes.Shape twoKeys = new LedgerShapes.Shape("postgresql", table, List.of("a", "b"), List.of(), Map.of());
        for (String line : List.of("0\tI7\tSnorth", "0\tI123456789\tN", "3\tS中文 \\t\tSx", "1\tL9\tSkey two", "1\tN\tN", "0\tI1")) {
            for (LedgerShapes.Shape shape : List.of(oneKey, twoKeys)) {
                assertEquals(SnapshotLedger.bucketOf(SnapshotLedger.identity(shape, line)),
                        SnapshotLedger.bucketOf(table.qualifiedName(), shape, new StringBuilder(line)), line);
            }
        }
    }
}
