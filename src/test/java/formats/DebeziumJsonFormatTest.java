package formats;

import model.ChangeEvent;
import processors.ShardKeys;
import model.Op;
import model.SourcePosition;
import model.TableId;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DebeziumJsonFormatTest {

    static final TableId TABLE = new TableId("shop", "public", "orders");
    static final SourcePosition POS = new SourcePosition("postgresql", "30609608", "737", 1,
            Instant.parse("2026-11-21T10:15:30.123456Z"), false);

    static ChangeEvent event(Op op, Map<String, Object> before, Map<String, Object> after) {
        return ChangeEvent.row("p", op, TABLE, before, after, List.of("id"), Map.of("id", "INT4"), POS);
    }

    @Test
    void valuesAreEncodedAsDocumented() {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", 7);
        row.put("big", 9_007_199_254_740_993L);
        row.put("amount", new BigDecimal("1E+3").setScale(2));
        row.put("tiny", new BigDecimal("0.000000001"));
        row.put("ratio", 0.25d);
        row.put("nan", Double.NaN);
        row.put("ok", true);
        row.put("name", "中文 \"quoted\"");
        row.put("bytes", new byte[]{0, (byte) 0xff, 16});
        row.put("day", LocalDate.of(2026, 11, 21));
        row.put("at", LocalTime.of(10, 15));
        row.put("ts", LocalDateTime.of(2026, 11, 21, 10, 15));
        row.put("tstz", Instant.parse("2026-11-21T08:15:30Z"));
        row.put("uid", UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"));
        row.put("span", Duration.ofMinutes(90));
        row.put("nothing", null);
        row.put("list", List.of(1, 2));
        String json = new String(JsonValues.encode(row), StandardCharsets.UTF_8);
        assertEquals("{\"id\":7,\"big\":9007199254740993,\"amount\":1000.00,\"tiny\":0.000000001,\"ratio\":0.25,\"nan\":\"NaN\","
                + "\"ok\":true,\"name\":\"中文 \\\"quoted\\\"\",\"bytes\":\"AP8Q\",\"day\":\"2026-11-21\",\"at\":\"10:15:00\","
                + "\"ts\":\"2026-11-21T10:15:00\",\"tstz\":\"2026-11-21T08:15:30Z\",\"uid\":\"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\","
                + "\"span\":\"PT1H30M\",\"nothing\":null,\"list\":[1,2]}", json);
    }

    @Test
    void envelope() {
        String json = new String(new DebeziumJsonFormat().encode(event(Op.UPDATE, Map.of("id", 7), Map.of("id", 8))), StandardCharsets.UTF_8);
        String expectedPrefix = "{\"before\":{\"id\":7},\"after\":{\"id\":8},\"source\":{\"version\":\"tributary-0.1\",\"connector\":\"postgresql\","
                + "\"name\":\"p\",\"ts_ms\":1795256130123,\"ts_us\":1795256130123456,\"snapshot\":\"false\",\"db\":\"shop\",\"schema\":\"public\","
                + "\"table\":\"orders\",\"txId\":737,\"lsn\":30609608},\"op\":\"u\",\"ts_ms\":";
        assertEquals(expectedPrefix, json.substring(0, expectedPrefix.length()));
        assertEquals("{\"id\":8}", ShardKeys.byPrimaryKey().of(event(Op.UPDATE, null, Map.of("id", 8))));
    }

    @Test
    void snapshotRowsSharingAPositionEachCarryTheirOwnSourceBlock() {
        SourcePosition snapshot = new SourcePosition("mariadb", "bin.000002:4:0", null, 0, Instant.parse("2026-11-21T10:15:30Z"), true);
        TableId other = new TableId("shop", null, "lines");
        DebeziumJsonFormat format = new DebeziumJsonFormat();
        String[][] cases = {{"p", "orders"}, {"p", "orders"}, {"p", "lines"}, {"q", "lines"}, {"p", "orders"}};
        for (String[] c : cases) {
            TableId table = c[1].equals("orders") ? TABLE : other;
            ChangeEvent e = ChangeEvent.row(c[0], Op.READ, table, null, Map.of("id", 1), List.of("id"), Map.of("id", "INT"), snapshot);
            String json = new String(format.encode(e), StandardCharsets.UTF_8);
            String source = "\"source\":{\"version\":\"tributary-0.1\",\"connector\":\"mariadb\",\"name\":\"" + c[0]
                    + "\",\"ts_ms\":1795256130000,\"ts_us\":1795256130000000,\"snapshot\":\"true\",\"db\":\"shop\",\"schema\":"
                    + (table == TABLE ? "\"public\"" : "null") + ",\"table\":\"" + c[1] + "\",\"txId\":null,\"lsn\":\"bin.000002:4:0\"},\"op\":\"r\",";
            assertEquals("{\"before\":null,\"after\":{\"id\":1}," + source, json.substring(0, json.indexOf("\"ts_ms\":", json.indexOf("\"op\""))),
                    "pipeline " + c[0] + ", table " + c[1]);
        }
    }

    @Test
    void deleteKeyComesFromTheBeforeImage() {
        ChangeEvent delete = event(Op.DELETE, Map.of("id", 9), null);
        assertEquals("{\"id\":9}", ShardKeys.byPrimaryKey().of(delete));
        // no key at all: the table's name, so its changes stay in order on one partition
        assertEquals("public.orders", ShardKeys.byPrimaryKey().of(ChangeEvent.row("p", Op.CREATE, TABLE, null, Map.of("x", 1), List.of(), Map.of(), POS)));
    }

    @Test
    void eventIdsAreStableAndDistinct() {
        ChangeEvent a = event(Op.READ, null, Map.of("id", 1));
        assertEquals(a.id(), event(Op.READ, null, Map.of("id", 1)).id(), "same change, same id");
        assertNotEquals(a.id(), event(Op.READ, null, Map.of("id", 2)).id(), "snapshot rows share a position but not a key");
        // the text is stored by dedup and sent as the tributary.id header: it must not change between versions
        assertEquals("postgresql:public.orders:30609608:[1]", a.id());
        java.util.LinkedHashMap<String, Object> row = new java.util.LinkedHashMap<>();
        row.put("a", "x y");
        row.put("b", null);
        row.put("c", 2.5);
        ChangeEvent compound = ChangeEvent.row("p", Op.CREATE, TABLE, null, row, List.of("a", "b", "c"), Map.of(), POS);
        assertEquals("postgresql:public.orders:30609608:[x y, null, 2.5]", compound.id());
        assertEquals("{\"a\":\"x y\",\"b\":null,\"c\":2.5}", ShardKeys.byPrimaryKey().of(compound));
        ChangeEvent gone = ChangeEvent.row("p", Op.DELETE, TABLE, row, null, List.of("c", "a"), Map.of(), POS);
        assertEquals("postgresql:public.orders:30609608:[2.5, x y]", gone.id(), "a delete's key comes from its before image");
    }

    @Test
    void theModelRejectsImpossibleEvents() {
        assertThrows(IllegalArgumentException.class, () -> event(Op.DELETE, null, null));
        assertThrows(IllegalArgumentException.class, () -> event(Op.CREATE, null, null));
        assertThrows(IllegalArgumentException.class, () -> event(Op.DELETE, Map.of("id", 1), Map.of("id", 1)));
    }
}
