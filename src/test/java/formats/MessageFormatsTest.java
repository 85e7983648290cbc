package formats;

import model.ChangeEvent;
import model.Op;
import model.SourcePosition;
import model.TableId;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the golden files (FormatsIT) cannot show: DDL kinds, type codes, composite keys, tables without images. */
class MessageFormatsTest {

    static final TableId TABLE = new TableId("shop", null, "orders");
    static final SourcePosition POS = new SourcePosition("mysql", "bin.000003:4711:0", "0-1-42", 3, Instant.parse("2026-11-21T10:15:30Z"), false);

    static String json(String format, ChangeEvent e) {
        return new String(Formats.create(new FormatSpec(format, true, "ERP01", true)).encode(e), StandardCharsets.UTF_8);
    }

    @Test
    void ddlKinds() {
        assertEquals(DdlKind.ALTER_TABLE, DdlKind.of("/* comment */ alter table `订单` add column x int"));
        assertEquals(DdlKind.CREATE_TABLE, DdlKind.of("CREATE TABLE IF NOT EXISTS t (id int)"));
        assertEquals(DdlKind.DROP_TABLE, DdlKind.of("DROP TABLE t"));
        assertEquals(DdlKind.RENAME_TABLE, DdlKind.of("RENAME TABLE a TO b"));
        assertEquals(DdlKind.TRUNCATE_TABLE, DdlKind.of("truncate t"));
        assertEquals(DdlKind.CREATE_INDEX, DdlKind.of("CREATE UNIQUE INDEX i ON t (a)"));
        assertEquals(DdlKind.CREATE_DATABASE, DdlKind.of("CREATE DATABASE shop"));
        assertEquals(DdlKind.OTHER, DdlKind.of("GRANT SELECT ON t TO u"));
        assertEquals("ERASE", DdlKind.DROP_TABLE.canal);
        assertEquals("table-drop", DdlKind.DROP_TABLE.maxwell);
    }

    @Test
    void typeCodes() {
        assertEquals(Types.DECIMAL, SqlTypes.jdbcType("NUMERIC(12,2)"));
        assertEquals(Types.INTEGER, SqlTypes.jdbcType("INT UNSIGNED"));
        assertEquals(Types.DOUBLE, SqlTypes.jdbcType("DOUBLE PRECISION"));
        assertEquals(Types.TIMESTAMP_WITH_TIMEZONE, SqlTypes.jdbcType("TIMESTAMPTZ"));
        assertEquals(Types.TIMESTAMP_WITH_TIMEZONE, SqlTypes.jdbcType("TIMESTAMP WITH TIME ZONE"));
        assertEquals(Types.BOOLEAN, SqlTypes.jdbcType("BIT(1)"));
        assertEquals(Types.BIT, SqlTypes.jdbcType("BIT(8)"));
        assertEquals(Types.OTHER, SqlTypes.jdbcType("GEOMETRY"));
        assertEquals("INT64", SqlTypes.lightType("BIGINT"));
        assertEquals("STRING", SqlTypes.lightType("GEOMETRY"));
    }

    @Test
    void compositeKeysAreJoinedWithU0001AndUpdatesWithoutOldImageHaveNoOld() {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("region", "eu");
        row.put("id", 7);
        row.put("at", LocalDateTime.parse("2026-11-21T10:15:30"));
        row.put("price", new BigDecimal("1.50"));
        ChangeEvent update = ChangeEvent.row("p", Op.UPDATE, TABLE, null, row, List.of("region", "id"),
                Map.of("region", "VARCHAR(2)", "id", "INT", "at", "DATETIME", "price", "DECIMAL(5,2)"), POS);
        String oms = json("oms-default", update);
        assertTrue(oms.contains("\"record_primary_key\":\"region\\u0001id\",\"record_primary_value\":\"eu\\u00017\""), oms);
        assertTrue(oms.contains("\"prevStruct\":null"), "no old image logged: no prevStruct, " + oms);
        assertTrue(oms.contains("\"transactionSequence\":3,\"businessSystemId\":\"ERP01\"}"), oms);
        String canal = json("canal", update);
        assertTrue(canal.contains("\"data\":[{\"region\":\"eu\",\"id\":\"7\",\"at\":\"2026-11-21 10:15:30\",\"price\":\"1.50\"}],\"old\":null"), canal);
        String maxwell = json("maxwell", update);
        assertTrue(maxwell.contains("\"xid\":\"0-1-42\",\"xoffset\":2,\"position\":\"bin.000003:4711:0\",\"primary_key\":[\"eu\",7]"), maxwell);
        assertTrue(!maxwell.contains("\"old\""), "no old image, no old: " + maxwell);
        String debezium = json("debezium", update);
        assertTrue(debezium.contains("\"transaction\":{\"id\":\"0-1-42\",\"total_order\":3},\"businessSystemId\":\"ERP01\"}"), debezium);
        String row1 = json("json-row", update);
        assertTrue(row1.startsWith("{\"region\":\"eu\",\"id\":7,\"at\":\"2026-11-21T10:15:30\",\"price\":1.50,\"__op\":\"u\",\"__table\":\"shop.orders\""), row1);
    }
}
