package model;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RowTest {

    private static final Row.Columns COLUMNS = Row.Columns.of(List.of("id", "name", "note", "qty", "price", "when"));

    private static Row sample() {
        return COLUMNS.row(new Object[]{7L, "seven", null, 3, new BigDecimal("1.50"), "2026-12-05"});
    }

    private static Map<String, Object> sameAsLinkedHashMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", 7L);
        m.put("name", "seven");
        m.put("note", null);
        m.put("qty", 3);
        m.put("price", new BigDecimal("1.50"));
        m.put("when", "2026-12-05");
        return m;
    }

    @Test
    void behavesAsTheLinkedHashMapItReplaces() {
        Row row = sample();
        Map<String, Object> expected = sameAsLinkedHashMap();
        assertEquals(expected, row);
        assertEquals(row, expected);
        assertEquals(expected.hashCode(), row.hashCode());
        assertEquals(expected.toString(), row.toString());
        assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(row.keySet()));
        assertEquals(new ArrayList<>(expected.values()), new ArrayList<>(row.values()));
        List<String> visited = new ArrayList<>();
        row.forEach((k, v) -> visited.add(k + "=" + v));
        List<String> expectedVisits = new ArrayList<>();
        expected.forEach((k, v) -> expectedVisits.add(k + "=" + v));
        assertEquals(expectedVisits, visited);
    }

    @Test
    void looksUpByEqualNamesAndTellsAbsentFromNull() {
        Row row = sample();
        assertEquals(new BigDecimal("1.50"), row.get(new String("price".toCharArray()))); // equal, not the same instance
        assertEquals("2026-12-05", row.get(new String("when".toCharArray())));
        assertNull(row.get("note"));
        assertTrue(row.containsKey("note"));
        assertNull(row.get("missing"));
        assertFalse(row.containsKey("missing"));
        assertFalse(row.containsKey(42));
        assertEquals("dflt", row.getOrDefault("missing", "dflt"));
        assertNull(row.getOrDefault("note", "dflt")); // present with null: null, as HashMap answers
        assertTrue(row.containsValue(3));
        assertEquals(6, row.size());
    }

    @Test
    void refusesEveryChange() {
        Row row = sample();
        assertThrows(UnsupportedOperationException.class, () -> row.put("id", 8L));
        assertThrows(UnsupportedOperationException.class, () -> row.remove("id"));
        assertThrows(UnsupportedOperationException.class, row::clear);
        assertThrows(UnsupportedOperationException.class, () -> row.putAll(Map.of("x", 1)));
        assertThrows(UnsupportedOperationException.class, () -> row.replaceAll((k, v) -> v));
        assertThrows(UnsupportedOperationException.class, () -> row.entrySet().iterator().next().setValue(1));
        assertThrows(UnsupportedOperationException.class, () -> row.keySet().remove("id"));
        assertEquals(sameAsLinkedHashMap(), row);
    }

    @Test
    void aChangeEventKeepsTheRowAsItIs() {
        Row row = sample();
        ChangeEvent e = ChangeEvent.row("p", Op.CREATE, new TableId(null, "public", "t"), null, row, List.of("id"),
                Map.of(), new SourcePosition("postgresql", "0/1", "1", 1, null, false));
        assertSame(row, e.after());
        assertEquals(Map.of("id", 7L), e.key());
        assertTrue(e.id().endsWith(":[7]"), e.id());
    }

    @Test
    void refusesAWrongShape() {
        assertThrows(IllegalArgumentException.class, () -> Row.Columns.of(List.of("a", "b", "a")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> COLUMNS.row(new Object[2]));
        assertTrue(e.getMessage().contains("2 values for 6 columns"), e.getMessage());
        assertEquals(0, Row.Columns.of(List.of()).row(new Object[0]).size());
        assertTrue(Row.Columns.of(Arrays.asList("x")).row(new Object[]{null}).containsKey("x"));
    }
}
