package formats;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Debezium's encodings (days, micros, structs, UTC text) become Java values with their SQL meaning. */
class ConnectValuesTest {

    static Object convert(String logicalName, Schema.Type type, Object value) {
        return ConnectValues.converter(new SchemaBuilder(type).name(logicalName).build()).apply(value);
    }

    @Test
    void timestamptzTextIsReadExactlyWithAnyFraction() {
        for (String text : List.of("2026-11-21T08:15:30Z", "2026-11-21T08:15:30.1Z", "2026-11-21T08:15:30.123456Z",
                "2026-11-21T08:15:30.123456789Z", "1969-12-31T23:59:59.999999Z", "+12026-11-21T08:15:30Z")) {
            assertEquals(Instant.parse(text), ConnectValues.utcInstant(text), text);
        }
    }

    @Test
    void timesOutsideADayKeepTheDatabasesText() {
        assertEquals(LocalTime.of(23, 59, 59, 999_999_000), convert("io.debezium.time.MicroTime", Schema.Type.INT64, 86_399_999_999L));
        assertEquals("24:00:00", convert("io.debezium.time.MicroTime", Schema.Type.INT64, 86_400_000_000L)); // PostgreSQL allows it
        assertEquals("838:59:59", convert("io.debezium.time.MicroTime", Schema.Type.INT64, 3_020_399_000_000L)); // MySQL's TIME maximum
        assertEquals("-01:30:00.5", convert("io.debezium.time.MicroTime", Schema.Type.INT64, -5_400_500_000L));
        assertEquals("25:00:00.001", convert("io.debezium.time.Time", Schema.Type.INT32, 90_000_001));
    }

    @Test
    void temporalEncodings() {
        assertEquals(LocalDate.of(2026, 11, 21), convert("io.debezium.time.Date", Schema.Type.INT32, 20778));
        assertEquals(LocalDate.of(1969, 12, 31), convert("io.debezium.time.Date", Schema.Type.INT32, -1));
        assertEquals(LocalDateTime.of(2026, 11, 21, 10, 15, 30, 123_456_000),
                convert("io.debezium.time.MicroTimestamp", Schema.Type.INT64, 1_795_256_130_123_456L));
        assertEquals(LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_000_000),
                convert("io.debezium.time.Timestamp", Schema.Type.INT64, -1L));
        assertEquals(LocalTime.of(10, 15, 30, 123_456_000), convert("io.debezium.time.MicroTime", Schema.Type.INT64, 36_930_123_456L));
    }

    @Test
    void numericWithoutScaleAndBytes() {
        Schema vsd = SchemaBuilder.struct().name("io.debezium.data.VariableScaleDecimal")
                .field("scale", Schema.INT32_SCHEMA).field("value", Schema.BYTES_SCHEMA).build();
        Struct s = new Struct(vsd).put("scale", 3).put("value", new BigInteger("-123456").toByteArray());
        assertEquals(new BigDecimal("-123.456"), ConnectValues.converter(vsd).apply(s));
        assertArrayEquals(new byte[]{1, 2}, (byte[]) ConnectValues.converter(Schema.BYTES_SCHEMA).apply(ByteBuffer.wrap(new byte[]{1, 2})));
    }

    @Test
    void sourceTypesKeepLengthAndScaleWhereTheyMatter() {
        assertEquals("NUMERIC(12,2)", ConnectValues.sourceType(SchemaBuilder.bytes().parameter("__debezium.source.column.type", "NUMERIC")
                .parameter("__debezium.source.column.length", "12").parameter("__debezium.source.column.scale", "2").build()));
        assertEquals("VARCHAR(40)", ConnectValues.sourceType(SchemaBuilder.string().parameter("__debezium.source.column.type", "VARCHAR")
                .parameter("__debezium.source.column.length", "40").build()));
        assertEquals("INT4", ConnectValues.sourceType(SchemaBuilder.int32().parameter("__debezium.source.column.type", "INT4")
                .parameter("__debezium.source.column.length", "10").parameter("__debezium.source.column.scale", "0").build()));
        assertEquals("TEXT", ConnectValues.sourceType(SchemaBuilder.string().parameter("__debezium.source.column.type", "TEXT")
                .parameter("__debezium.source.column.length", String.valueOf(Integer.MAX_VALUE)).build()));
        assertEquals("INT64", ConnectValues.sourceType(Schema.INT64_SCHEMA));
    }
}
