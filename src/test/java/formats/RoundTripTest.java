package formats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import model.ChangeEvent;
import model.Op;
import model.SourcePosition;
import model.TableId;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every format written, read back ({@link Formats#reader}) and written again gives the same messages — over generated
 * changes with every column type, NULLs, Chinese names, composite keys, updates with and without old rows, deletes
 * with whole old rows and with keys only, DDL. Fields that are the writer's own (send time, a counter of the process)
 * are left out of the comparison. The changes read back keep the op, the table, the key and which values are null;
 * formats that carry column types (canal, oms-extend) give back the values themselves.
 */
class RoundTripTest {

    static final ObjectMapper JSON = testsupport.Json.MAPPER; // decimals exact
    /** Per format: what the writer sets on its own (times of writing, counters), not taken from the change. */
    static final Map<String, Set<String>> WRITERS_OWN = Map.of(
            "debezium", Set.of("/ts_ms"),
            "canal", Set.of("/id", "/ts"),
            "oms-default", Set.of("/allMetaData/storeDataSequence", "/allMetaData/uniqueId"),
            "oms-extend", Set.of("/allMetaData/storeDataSequence", "/allMetaData/uniqueId"),
            "dataworks", Set.of("/payload/sequenceId", "/payload/timestamp/systemTime"),
            "shareplex", Set.of("/meta/posttime"));

    final Random random = new Random(20261204);

    @Test
    void everyFormatReadsBackWhatItWrote() throws Exception {
        for (String format : Formats.names()) {
            boolean ddl = Formats.carriesDdl(format);
            ChangeEventFormat writer = Formats.create(new FormatSpec(format, true, null, ddl));
            ChangeEventReader reader = Formats.reader(format, "rt");
            for (int i = 0; i < 400; i++) {
                ChangeEvent e = event(i, ddl && i % 40 == 39);
                List<ChangeEvent> back = new ArrayList<>();
                List<JsonNode> written = new ArrayList<>();
                byte[] key = formats.JsonValues.encode(e.key());
                for (int part = 0; part < writer.parts(e); part++) {
                    byte[] message = writer.encode(e, part);
                    written.add(JSON.readTree(message));
                    back.addAll(reader.read(e.op() == Op.DDL ? null : key, message));
                }
                String what = format + " change " + i + " " + e;
                assertEquals(1, back.size(), what);
                ChangeEvent read = back.get(0);
                List<JsonNode> again = new ArrayList<>();
                for (int part = 0; part < writer.parts(read); part++) {
                    again.add(JSON.readTree(writer.encode(read, part)));
                }
                assertEquals(masked(format, written), masked(format, again), what);
                assertSameChange(format, e, read, what);
            }
        }
    }

    /** op, table, key, the columns and which are null; the values too where the format carries types. */
    static void assertSameChange(String format, ChangeEvent e, ChangeEvent read, String what) {
        boolean snapshotKnown = !Set.of("canal", "dataworks", "shareplex").contains(format);
        assertEquals(snapshotKnown || e.op() != Op.READ ? e.op() : Op.CREATE, read.op(), what);
        assertEquals(e.table().qualifiedName(), read.table().qualifiedName(), what);
        if (e.op() == Op.DDL) {
            assertEquals(format.equals("shareplex") && e.ddl().startsWith("TRUNCATE") ? "TRUNCATE TABLE " + e.table().qualifiedName() : e.ddl(), read.ddl(), what);
            return;
        }
        assertEquals(e.primaryKey(), read.primaryKey(), what);
        assertEquals(nulls(e.row()), nulls(read.row()), what);
        if (format.equals("canal") || format.equals("oms-extend")) {
            Map<String, Object> expected = new LinkedHashMap<>();
            e.row().forEach((c, v) -> expected.put(c, v instanceof Float || v instanceof Double || v instanceof byte[] ? JsonValues.text(v) : text(v)));
            Map<String, Object> actual = new LinkedHashMap<>();
            read.row().forEach((c, v) -> actual.put(c, v instanceof Float || v instanceof Double || v instanceof byte[] ? JsonValues.text(v) : text(v)));
            assertEquals(expected, actual, what);
        }
    }

    /** A value by its canonical text, a whole number and a timestamp compared as such whatever their Java class. */
    static String text(Object v) {
        if (v instanceof Instant t) {
            return "instant " + t;
        }
        return JsonValues.text(v);
    }

    static Map<String, Boolean> nulls(Map<String, Object> row) {
        Map<String, Boolean> n = new LinkedHashMap<>();
        row.forEach((c, v) -> n.put(c, v == null));
        return n;
    }

    static List<JsonNode> masked(String format, List<JsonNode> messages) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode m : messages) {
            ObjectNode copy = m.deepCopy();
            for (String path : WRITERS_OWN.getOrDefault(format, Set.of())) {
                int slash = path.lastIndexOf('/');
                JsonNode parent = slash == 0 ? copy : copy.at(path.substring(0, slash));
                if (parent instanceof ObjectNode o && o.has(path.substring(slash + 1))) {
                    o.put(path.substring(slash + 1), "<writer's own>");
                }
            }
            out.add(copy);
        }
        return out;
    }

    // ---- generated changes ----

    static final Map<String, String> TYPES = types();

    static Map<String, String> types() {
        Map<String, String> t = new LinkedHashMap<>();
        t.put("区域", "VARCHAR(8)");
        t.put("编号", "INT4");
        t.put("总数", "INT8");
        t.put("小数", "INT2");
        t.put("金额", "NUMERIC(12,2)");
        t.put("比率", "NUMERIC");
        t.put("双精度", "FLOAT8");
        t.put("单精度", "FLOAT4");
        t.put("有效", "BOOL");
        t.put("名称", "TEXT");
        t.put("照片", "BYTEA");
        t.put("日期", "DATE");
        t.put("时间", "TIME");
        t.put("创建", "TIMESTAMP");
        t.put("更新", "TIMESTAMPTZ");
        t.put("文档", "JSONB");
        return t;
    }

    ChangeEvent event(int i, boolean ddl) {
        boolean mysql = random.nextBoolean();
        TableId table = mysql ? new TableId("商店", null, "订单") : new TableId("shop", "public", "订单");
        Instant commit = Instant.parse("2026-11-21T10:15:30Z").plus(random.nextInt(1_000_000_000), ChronoUnit.MICROS);
        boolean snapshot = i % 7 == 0 && !ddl; // a snapshot carries no DDL messages
        SourcePosition p = new SourcePosition(mysql ? "mysql" : "postgresql", String.valueOf(100_000 + i), snapshot ? null : String.valueOf(700 + i / 3),
                snapshot ? 0 : 1 + i % 3, commit, snapshot);
        if (ddl) {
            return ChangeEvent.ddl("rt", table, i % 80 == 39 ? "TRUNCATE 订单" : "ALTER TABLE 订单 ADD COLUMN 备注 VARCHAR(20)", p);
        }
        Map<String, Object> after = row();
        List<String> key = List.of("区域", "编号");
        Op op = snapshot ? Op.READ : List.of(Op.CREATE, Op.UPDATE, Op.UPDATE, Op.DELETE).get(random.nextInt(4));
        return switch (op) {
            case READ, CREATE -> ChangeEvent.row("rt", op, table, null, after, key, TYPES, p);
            case UPDATE -> {
                Map<String, Object> before = null;
                if (random.nextInt(3) > 0) { // a whole old row, some columns changed
                    before = new LinkedHashMap<>(after);
                    before.put("名称", "旧的 " + i);
                    before.put("金额", random.nextBoolean() ? null : new BigDecimal("1.00"));
                }
                yield ChangeEvent.row("rt", op, table, before, after, key, TYPES, p);
            }
            case DELETE -> {
                Map<String, Object> before = after;
                if (random.nextBoolean()) { // only the key logged
                    before = new LinkedHashMap<>();
                    before.put("区域", after.get("区域"));
                    before.put("编号", after.get("编号"));
                }
                yield ChangeEvent.row("rt", op, table, before, null, key, TYPES, p);
            }
            default -> throw new IllegalStateException();
        };
    }

    Map<String, Object> row() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("区域", List.of("华东", "eu", "north \"q\"").get(random.nextInt(3)));
        r.put("编号", random.nextInt(1_000_000));
        r.put("总数", orNull(random.nextLong()));
        r.put("小数", orNull((short) random.nextInt(30_000)));
        r.put("金额", orNull(BigDecimal.valueOf(random.nextInt(10_000_000), 2)));
        r.put("比率", orNull(new BigDecimal(random.nextInt(1000) + "." + random.nextInt(100_000)).stripTrailingZeros()));
        r.put("双精度", orNull(List.of(random.nextDouble() * 1e6, 1.5e300, -0.25).get(random.nextInt(3))));
        r.put("单精度", orNull(random.nextFloat()));
        r.put("有效", orNull(random.nextBoolean()));
        r.put("名称", orNull(List.of("苹果", "line\nbreak", "tab\tand \"quotes\"", "").get(random.nextInt(4))));
        byte[] bytes = new byte[random.nextInt(6)];
        random.nextBytes(bytes);
        r.put("照片", orNull(bytes));
        r.put("日期", orNull(LocalDate.of(1990 + random.nextInt(50), 1 + random.nextInt(12), 1 + random.nextInt(28))));
        r.put("时间", orNull(LocalTime.of(random.nextInt(24), random.nextInt(60), random.nextInt(60), random.nextInt(1_000_000) * 1000)));
        r.put("创建", orNull(LocalDateTime.of(2026, 1 + random.nextInt(12), 1 + random.nextInt(28), random.nextInt(24), random.nextInt(60),
                random.nextInt(60), random.nextInt(1_000_000) * 1000)));
        r.put("更新", orNull(Instant.parse("2026-06-01T00:00:00Z").plus(random.nextInt(1_000_000_000), ChronoUnit.MICROS)));
        r.put("文档", orNull("{\"a\": [1, 2], \"名\": \"值\"}"));
        return r;
    }

    Object orNull(Object v) {
        return random.nextInt(8) == 0 ? null : v;
    }

    /** The data format of hand-written routes: {@code unmarshal} gives back the changes {@code marshal} wrote. */
    @Test
    void theDataFormatUnmarshalsWhatItMarshals() throws Exception {
        try (org.apache.camel.CamelContext camel = new org.apache.camel.impl.DefaultCamelContext()) {
            for (String format : List.of("canal", "debezium", "dataworks")) {
                blocks.ChangeEventDataFormat dataFormat = new blocks.ChangeEventDataFormat(format);
                dataFormat.start();
                ChangeEvent e = event(1, false);
                org.apache.camel.Exchange exchange = new org.apache.camel.support.DefaultExchange(camel);
                exchange.getIn().setHeader("TributaryKey", JsonValues.encode(e.key()));
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                dataFormat.marshal(exchange, e, out);
                List<ChangeEvent> back = new ArrayList<>();
                for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) { // a DataWorks update: two lines
                    @SuppressWarnings("unchecked")
                    List<ChangeEvent> read = (List<ChangeEvent>) dataFormat.unmarshal(exchange,
                            new java.io.ByteArrayInputStream(line.getBytes(StandardCharsets.UTF_8)));
                    back.addAll(read);
                }
                assertEquals(1, back.size(), format);
                assertSameChange(format, e, back.get(0), format);
            }
        }
    }

    @Test
    void aMessageThatIsNotTheFormatIsRefusedWithTheReason() {
        for (String format : Formats.names()) {
            ChangeEventReader reader = Formats.reader(format, "rt");
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> reader.read(null, "{\"hello\": 1}".getBytes(StandardCharsets.UTF_8)), format);
            assertTrue(e.getMessage().contains("missing"), format + ": " + e.getMessage());
            assertTrue(org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> reader.read(null, "not json".getBytes(StandardCharsets.UTF_8))).getMessage().startsWith("not JSON"), format);
            assertEquals(List.of(), reader.read(null, null), format + ": a tombstone holds no change");
        }
    }
}
