package formats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import model.ChangeEvent;
import model.Op;
import model.SourcePosition;
import model.TableId;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The DataWorks and SharePlex layouts field by field (FormatsIT compares whole messages from real servers). */
class OmsFormatsTest {

    static final ObjectMapper JSON = testsupport.Json.MAPPER; // decimals exact
    static final TableId TABLE = new TableId("shop", null, "orders");
    static final SourcePosition POS = new SourcePosition("mysql", "bin.000003:4711:0", "0-1-42", 2, Instant.parse("2025-01-01T00:01:00.250Z"), false);
    static final Map<String, String> COLUMNS = columns();

    static Map<String, String> columns() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("id", "BIGINT");
        c.put("note", "VARCHAR(20)");
        c.put("paid", "BOOLEAN");
        c.put("created", "DATETIME");
        c.put("img", "BLOB");
        c.put("price", "DECIMAL(12,2)");
        c.put("day", "DATE");
        c.put("big", "BIGINT UNSIGNED");
        return c;
    }

    static Map<String, Object> row(String note) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", 7L);
        r.put("note", note);
        r.put("paid", false);
        r.put("created", LocalDateTime.parse("2025-01-01T00:00:00"));
        r.put("img", new byte[]{0, 1, 2});
        r.put("price", new BigDecimal("12345678901.25"));
        r.put("day", LocalDate.parse("2025-01-01"));
        r.put("big", new BigInteger("18446744073709551615"));
        return r;
    }

    static List<JsonNode> messages(FormatSpec spec, ChangeEvent e) throws Exception {
        ChangeEventFormat f = Formats.create(spec);
        List<JsonNode> out = new java.util.ArrayList<>();
        for (int part = 0; part < f.parts(e); part++) {
            out.add(JSON.readTree(f.encode(e, part)));
        }
        return out;
    }

    @Test
    void dataWorksTypesValuesAndTheSplitUpdate() throws Exception {
        ChangeEvent update = ChangeEvent.row("p", Op.UPDATE, TABLE, row("first"), row("second"), List.of("id"), COLUMNS, POS);
        List<JsonNode> two = messages(FormatSpec.of("dataworks"), update);
        assertEquals(2, two.size(), "an update is two messages");
        JsonNode before = two.get(0);
        JsonNode after = two.get(1);
        assertEquals("UPDATE_BEFOR", before.at("/payload/op").asText());
        assertEquals("UPDATE_AFTER", after.at("/payload/op").asText());
        assertTrue(before.at("/payload/after").isNull() && after.at("/payload/before").isNull());
        assertEquals("first", before.at("/payload/before/dataColumn/note").asText());
        assertEquals("second", after.at("/payload/after/dataColumn/note").asText());
        assertEquals("2.0", after.path("version").asText());
        assertTrue(Long.parseLong(after.at("/payload/sequenceId").asText()) > Long.parseLong(before.at("/payload/sequenceId").asText()),
                "the halves are consecutive");
        assertTrue(after.at("/payload/sequenceId").asText().matches("1735689660250\\d{6}"), after.toString());
        assertEquals(1735689660250L, after.at("/payload/timestamp/eventTime").asLong());

        JsonNode types = after.at("/schema/dataColumn");
        assertEquals("[{\"name\":\"id\",\"type\":\"LONG\"},{\"name\":\"note\",\"type\":\"STRING\"},{\"name\":\"paid\",\"type\":\"BOOLEAN\"},"
                + "{\"name\":\"created\",\"type\":\"DATE\"},{\"name\":\"img\",\"type\":\"BYTES\"},{\"name\":\"price\",\"type\":\"DOUBLE\"},"
                + "{\"name\":\"day\",\"type\":\"DATE\"},{\"name\":\"big\",\"type\":\"STRING\"}]", types.toString());
        JsonNode values = after.at("/payload/after/dataColumn");
        assertEquals("{\"id\":7,\"note\":\"second\",\"paid\":false,\"created\":1735689600000,\"img\":\"AAEC\",\"price\":12345678901.25,"
                + "\"day\":1735689600000,\"big\":\"18446744073709551615\"}", values.toString());
        assertEquals("{\"dbType\":\"mysql\",\"dbVersion\":null,\"dbName\":\"shop\",\"schemaName\":\"shop\",\"tableName\":\"orders\"}",
                after.at("/schema/source").toString());
        assertEquals("[\"id\"]", after.at("/schema/primaryKey").toString());

        FormatSpec combined = new FormatSpec("dataworks", false, null, false, false, true, false);
        List<JsonNode> one = messages(combined, update);
        assertEquals(1, one.size());
        assertEquals("UPDATE_AFTER", one.get(0).at("/payload/op").asText());
        assertEquals("first", one.get(0).at("/payload/before/dataColumn/note").asText());
        assertEquals("second", one.get(0).at("/payload/after/dataColumn/note").asText());
        assertEquals("\"12345678901.25\"", one.get(0).at("/payload/after/dataColumn/price").toString(), "decimalAsString: exact text");
        assertTrue(one.get(0).at("/schema/dataColumn").toString().contains("{\"name\":\"price\",\"type\":\"STRING\"}"));

        String lines = new String(Formats.create(FormatSpec.of("dataworks")).encode(update), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(2, lines.split("\n").length, "written whole (JSON lines, a data format): one line per part");
    }

    @Test
    void dataWorksInsertDeleteAndDdl() throws Exception {
        ChangeEvent insert = ChangeEvent.row("p", Op.READ, TABLE, null, row("a"), List.of("id"), COLUMNS, POS);
        JsonNode in = messages(FormatSpec.of("dataworks"), insert).get(0);
        assertEquals("INSERT", in.at("/payload/op").asText());
        assertTrue(in.at("/payload/before").isNull());
        ChangeEvent delete = ChangeEvent.row("p", Op.DELETE, TABLE, Map.of("id", 7L), null, List.of("id"), COLUMNS, POS);
        JsonNode del = messages(FormatSpec.of("dataworks"), delete).get(0);
        assertEquals("DELETE", del.at("/payload/op").asText());
        assertEquals("{\"dataColumn\":{\"id\":7}}", del.at("/payload/before").toString());
        assertTrue(del.at("/payload/after").isNull());
        ChangeEvent ddl = ChangeEvent.ddl("p", TABLE, "ALTER TABLE orders ADD COLUMN qty INT", POS);
        JsonNode alter = messages(new FormatSpec("dataworks", false, null, true), ddl).get(0);
        assertEquals("ALTER", alter.at("/payload/op").asText());
        assertEquals("ALTER TABLE orders ADD COLUMN qty INT", alter.at("/payload/ddl/text").asText());
        assertTrue(alter.at("/schema/dataColumn").isNull() && alter.at("/schema/primaryKey").isNull());
    }

    @Test
    void sharePlexOpsKeysAndValues() throws Exception {
        ChangeEvent insert = ChangeEvent.row("p", Op.CREATE, TABLE, null, row("third"), List.of("id"), COLUMNS, POS);
        JsonNode ins = messages(FormatSpec.of("shareplex"), insert).get(0);
        assertEquals("{\"time\":\"2025-01-01T00:01:00\",\"op\":\"ins\",\"trans\":\"0-1-42\",\"table\":\"shop.orders\"}",
                ((com.fasterxml.jackson.databind.node.ObjectNode) ins.get("meta").deepCopy()).without("posttime").toString());
        assertEquals("{\"id\":\"7\",\"note\":\"third\",\"paid\":\"false\",\"created\":\"2025-01-01T00:00:00\",\"img\":\"AAEC\","
                + "\"price\":\"12345678901.25\",\"day\":\"2025-01-01\",\"big\":\"18446744073709551615\"}", ins.get("data").toString());
        assertFalse(ins.has("key"));

        ChangeEvent update = ChangeEvent.row("p", Op.UPDATE, TABLE, row("third"), row("fourth"), List.of("id"), COLUMNS, POS);
        JsonNode upd = messages(FormatSpec.of("shareplex"), update).get(0);
        assertEquals("upd", upd.at("/meta/op").asText());
        assertEquals("{\"note\":\"fourth\"}", upd.get("data").toString(), "the changed columns' new values");
        assertEquals("third", upd.at("/key/note").asText(), "the whole old row");
        assertEquals(8, upd.get("key").size());

        ChangeEvent noOld = ChangeEvent.row("p", Op.UPDATE, TABLE, null, row("fifth"), List.of("id"), COLUMNS, POS);
        JsonNode blind = messages(new FormatSpec("shareplex", false, null, false, true, false, true), noOld).get(0);
        assertEquals("{\"id\":7}", blind.get("key").toString(), "no old row logged: the key, typed values");
        assertEquals(8, blind.get("data").size(), "and every new value");
        assertEquals(false, blind.at("/data/paid").booleanValue());

        ChangeEvent delete = ChangeEvent.row("p", Op.DELETE, TABLE, row("old"), null, List.of("id"), COLUMNS,
                new SourcePosition("postgresql", "1", null, 0, POS.commitTs(), false));
        JsonNode del = messages(FormatSpec.of("shareplex"), delete).get(0);
        assertEquals("del", del.at("/meta/op").asText());
        assertFalse(del.get("meta").has("trans"), "no transaction id known: no trans");
        assertEquals("old", del.at("/data/note").asText());

        JsonNode truncate = messages(new FormatSpec("shareplex", false, null, true), ChangeEvent.ddl("p", TABLE, "TRUNCATE orders", POS)).get(0);
        assertEquals("truncate", truncate.at("/meta/op").asText());
        assertEquals("{}", truncate.get("data").toString());
        JsonNode alter = messages(new FormatSpec("shareplex", false, null, true), ChangeEvent.ddl("p", TABLE, "ALTER TABLE orders ADD x INT", POS)).get(0);
        assertEquals("ddl", alter.at("/meta/op").asText());
        assertEquals("ALTER TABLE orders ADD x INT", alter.at("/data/ddl").asText());
    }
}
