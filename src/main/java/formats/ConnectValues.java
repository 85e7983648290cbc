package formats;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * Turns Kafka Connect / Debezium column values into Java values with their SQL meaning (docs/design.md, "The canonical change event"), once per
 * column schema: Debezium encodes a date as days since epoch, a timestamp as micros, a numeric without scale as a
 * struct... Nothing after the normalizer sees those encodings.
 */
public final class ConnectValues {

    private ConnectValues() {
    }

    /** The converter for values of this (field) schema. Chosen once per schema; applied per value. */
    public static Function<Object, Object> converter(Schema schema) {
        String logical = schema.name();
        if (logical != null) {
            switch (logical) {
                case "org.apache.kafka.connect.data.Decimal":
                    return v -> v; // already a BigDecimal with the column's scale
                case "io.debezium.data.VariableScaleDecimal":
                    return v -> {
                        Struct s = (Struct) v;
                        return new BigDecimal(new BigInteger(bytes(s.get("value"))), s.getInt32("scale"));
                    };
                case "io.debezium.time.Date":
                    return v -> LocalDate.ofEpochDay(((Number) v).longValue());
                case "org.apache.kafka.connect.data.Date":
                    return v -> LocalDate.ofInstant(((java.util.Date) v).toInstant(), ZoneOffset.UTC);
                case "io.debezium.time.Time":
                    return v -> time(((Number) v).longValue() * 1_000_000L);
                case "io.debezium.time.MicroTime":
                    return v -> time(((Number) v).longValue() * 1_000L);
                case "io.debezium.time.NanoTime":
                    return v -> time(((Number) v).longValue());
                case "org.apache.kafka.connect.data.Time":
                    return v -> LocalTime.ofInstant(((java.util.Date) v).toInstant(), ZoneOffset.UTC);
                case "io.debezium.time.Timestamp":
                    return v -> localDateTime(((Number) v).longValue(), 1_000L);
                case "io.debezium.time.MicroTimestamp":
                    return v -> localDateTime(((Number) v).longValue(), 1_000_000L);
                case "io.debezium.time.NanoTimestamp":
                    return v -> localDateTime(((Number) v).longValue(), 1_000_000_000L);
                case "org.apache.kafka.connect.data.Timestamp":
                    return v -> LocalDateTime.ofInstant(((java.util.Date) v).toInstant(), ZoneOffset.UTC);
                case "io.debezium.time.ZonedTimestamp":
                    return v -> utcInstant((String) v);
                case "io.debezium.time.ZonedTime":
                    return v -> OffsetTime.parse((String) v);
                case "io.debezium.time.MicroDuration":
                    return v -> Duration.of(((Number) v).longValue(), ChronoUnit.MICROS);
                case "io.debezium.data.Uuid":
                    return v -> UUID.fromString((String) v);
                case "io.debezium.data.Bits":
                    return ConnectValues::bytes;
                default:
                    break; // Json, Xml, Enum, EnumSet, geometry...: the plain conversion below keeps their text / fields
            }
        }
        return switch (schema.type()) {
            case BYTES -> ConnectValues::bytes;
            case ARRAY -> {
                Function<Object, Object> element = converter(schema.valueSchema());
                yield v -> {
                    List<Object> out = new ArrayList<>();
                    for (Object o : (List<?>) v) {
                        out.add(o == null ? null : element.apply(o));
                    }
                    return out;
                };
            }
            case STRUCT -> v -> struct((Struct) v);
            default -> v -> v;
        };
    }

    private static final long NANOS_PER_DAY = 86_400_000_000_000L;

    /**
     * A time of day; a time a LocalTime cannot hold — PostgreSQL's {@code 24:00:00}, MySQL's {@code TIME} up to
     * ±838:59:59 (a duration) — as the text the database shows for it, so the change still flows and loses nothing.
     */
    static Object time(long nanos) {
        if (nanos >= 0 && nanos < NANOS_PER_DAY) {
            return LocalTime.ofNanoOfDay(nanos);
        }
        long abs = Math.abs(nanos);
        long seconds = abs / 1_000_000_000L;
        String text = String.format("%s%02d:%02d:%02d", nanos < 0 ? "-" : "", seconds / 3600, seconds / 60 % 60, seconds % 60);
        long fraction = abs % 1_000_000_000L;
        return fraction == 0 ? text : text + String.format(".%09d", fraction).replaceFirst("0+$", "");
    }

    static Map<String, Object> struct(Struct s) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Field f : s.schema().fields()) {
            Object v = s.get(f);
            out.put(f.name(), v == null ? null : converter(f.schema()).apply(v));
        }
        return out;
    }

    /**
     * Debezium writes timestamptz as UTC text, {@code 2026-11-21T08:15:30.123456Z}. {@link Instant#parse} costs about
     * a tenth of a pipeline's CPU per such column (profiled), so the fixed layout is read by hand; anything else falls
     * back to the general parser.
     */
    static Instant utcInstant(String s) {
        int n = s.length();
        if (n < 20 || n > 30 || s.charAt(n - 1) != 'Z' || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T'
                || s.charAt(13) != ':' || s.charAt(16) != ':' || (n > 20 && s.charAt(19) != '.')) {
            return Instant.parse(s);
        }
        try {
            int nanos = 0;
            if (n > 20) {
                int digits = n - 21;
                nanos = digits(s, 20, n - 1);
                for (int i = digits; i < 9; i++) {
                    nanos *= 10;
                }
            }
            return LocalDateTime.of(digits(s, 0, 4), digits(s, 5, 7), digits(s, 8, 10), digits(s, 11, 13), digits(s, 14, 16),
                    digits(s, 17, 19), nanos).toInstant(ZoneOffset.UTC);
        } catch (RuntimeException notTheLayout) {
            return Instant.parse(s);
        }
    }

    private static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new NumberFormatException(s);
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** A wall-clock timestamp Debezium encoded as units since 1970-01-01T00:00 (no time zone involved). */
    private static LocalDateTime localDateTime(long value, long unitsPerSecond) {
        long nanosPerUnit = 1_000_000_000L / unitsPerSecond;
        return LocalDateTime.ofEpochSecond(Math.floorDiv(value, unitsPerSecond),
                (int) (Math.floorMod(value, unitsPerSecond) * nanosPerUnit), ZoneOffset.UTC);
    }

    static byte[] bytes(Object v) {
        if (v instanceof byte[] b) {
            return b;
        }
        ByteBuffer buffer = ((ByteBuffer) v).duplicate();
        byte[] out = new byte[buffer.remaining()];
        buffer.get(out);
        return out;
    }

    /**
     * The column's source type, as Debezium propagates it ({@code column.propagate.source.type}): e.g.
     * {@code NUMERIC(12,2)}, {@code VARCHAR(40)}, {@code TIMESTAMPTZ}. Without propagation, the Connect type.
     */
    public static String sourceType(Schema schema) {
        Map<String, String> p = schema.parameters();
        String type = p == null ? null : p.get("__debezium.source.column.type");
        if (type == null) {
            return schema.name() != null ? schema.name() : schema.type().name();
        }
        String length = p.get("__debezium.source.column.length");
        String scale = p.get("__debezium.source.column.scale");
        boolean sized = switch (type) {
            case "NUMERIC", "DECIMAL", "VARCHAR", "BPCHAR", "CHAR", "BIT", "VARBIT" -> true;
            default -> false;
        };
        if (!sized || length == null || length.equals(String.valueOf(Integer.MAX_VALUE)) || length.equals("0")) {
            return type;
        }
        boolean hasScale = scale != null && (type.equals("NUMERIC") || type.equals("DECIMAL"));
        return type + "(" + length + (hasScale ? "," + scale : "") + ")";
    }
}
