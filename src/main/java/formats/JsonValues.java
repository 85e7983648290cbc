package formats;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import model.Row;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.temporal.TemporalAccessor;
import java.util.List;
import java.util.Map;

/**
 * How every JSON format writes a column value (docs/formats.md, "Values"): decimals as exact JSON numbers (never
 * floating point, never exponent notation), date/time as ISO-8601 text (seconds always present), timestamptz in UTC
 * with 'Z', bytes as Base64, uuid/json/other text types as text, NaN/Infinity as text.
 */
public final class JsonValues {

    public static final JsonFactory JSON = JsonFactory.builder().enable(com.fasterxml.jackson.core.StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN).build();

    private JsonValues() {
    }

    /** A value (or map / list of values) as standalone JSON bytes. */
    public static byte[] encode(Object value) {
        return MessageBytes.of(g -> write(g, value));
    }

    /**
     * {@code {"column": value, ...}} for the given columns of a row, in the given order (a missing row or column: null)
     * — a shard key, written for every change sent.
     */
    public static byte[] encodeColumns(List<String> columns, Map<String, Object> row) {
        return MessageBytes.of(g -> {
            g.writeStartObject();
            for (String c : columns) {
                g.writeFieldName(name(c));
                write(g, row == null ? null : row.get(c));
            }
            g.writeEndObject();
        });
    }

    public static void write(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            g.writeNumber(((Number) v).intValue());
        } else if (v instanceof Long l) {
            g.writeNumber(l);
        } else if (v instanceof BigDecimal d) {
            writeDecimal(g, d);
        } else if (v instanceof BigInteger i) {
            g.writeNumber(i);
        } else if (v instanceof Double d) {
            if (d.isNaN() || d.isInfinite()) {
                g.writeString(d.toString());
            } else {
                g.writeNumber(d);
            }
        } else if (v instanceof Float f) {
            if (f.isNaN() || f.isInfinite()) {
                g.writeString(f.toString());
            } else {
                g.writeNumber(f);
            }
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof byte[] bytes) {
            g.writeBinary(bytes);
        } else if (v instanceof LocalDateTime t) {
            g.writeString(IsoText.of(t));
        } else if (v instanceof LocalTime t) {
            g.writeString(IsoText.of(t));
        } else if (v instanceof Instant t) {
            g.writeString(IsoText.of(t));
        } else if (v instanceof LocalDate t) {
            g.writeString(IsoText.of(t));
        } else if (v instanceof Row row) {
            writeRow(g, row);
        } else if (v instanceof Map<?, ?> map) {
            g.writeStartObject();
            try {
                // forEach, not entrySet(): an unmodifiable map wraps every entry it iterates (a third of the encoding time)
                map.forEach((k, value) -> {
                    try {
                        g.writeFieldName(name(String.valueOf(k)));
                        write(g, value);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            g.writeEndObject();
        } else if (v instanceof List<?> list) {
            g.writeStartArray();
            for (Object o : list) {
                write(g, o);
            }
            g.writeEndArray();
        } else if (v instanceof TemporalAccessor || v instanceof java.time.Duration || v instanceof java.util.UUID) {
            g.writeString(v.toString()); // LocalDate, OffsetTime, OffsetDateTime, Duration (PT..), UUID: ISO / canonical text
        } else {
            g.writeString(v.toString());
        }
    }

    /**
     * A scalar as text, the way the JSON formats carry it but without JSON quoting (strings as they are, decimals
     * plain, bytes Base64, date/time ISO-8601; maps and lists as JSON): for text formats such as CSV. Null stays null.
     */
    public static String text(Object v) {
        if (v == null || v instanceof String) {
            return (String) v;
        }
        if (v instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (v instanceof byte[] bytes) {
            return java.util.Base64.getEncoder().encodeToString(bytes);
        }
        // the common types without a JSON round trip (CSV writes every value through here)
        // (a double went through the JSON round trip below: a second generator per value, 16 KB of buffers each time,
        // a third of canal's and OMS's time; Jackson writes a double as Double.toString does, NaN and infinities as text)
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte || v instanceof Boolean
                || v instanceof Double || v instanceof Float || v instanceof java.math.BigInteger || v instanceof java.util.UUID) {
            return v.toString();
        }
        if (v instanceof LocalDateTime t) {
            return IsoText.of(t);
        }
        if (v instanceof Instant t) {
            return IsoText.of(t);
        }
        if (v instanceof LocalDate t) {
            return IsoText.of(t);
        }
        if (v instanceof LocalTime t) {
            return IsoText.of(t);
        }
        byte[] json = encode(v);
        if (v instanceof Map || v instanceof List) {
            return new String(json, java.nio.charset.StandardCharsets.UTF_8);
        }
        try (com.fasterxml.jackson.core.JsonParser p = JSON.createParser(json)) {
            p.nextToken();
            return p.getText(); // a JSON string unescaped, a number or boolean as written
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A row image as a JSON object, its column names encoded once per table version. */
    private static void writeRow(JsonGenerator g, Row row) throws IOException {
        Row.Columns columns = row.columns();
        SerializedString[] names = ROW_NAMES.get(columns);
        if (names == null) {
            names = new SerializedString[columns.size()];
            for (int i = 0; i < names.length; i++) {
                names[i] = name(columns.name(i));
            }
            if (ROW_NAMES.size() < 10_000) {
                ROW_NAMES.put(columns, names);
            }
        }
        g.writeStartObject();
        for (int i = 0; i < names.length; i++) {
            g.writeFieldName(names[i]);
            write(g, row.value(i));
        }
        g.writeEndObject();
    }

    /** Per table version (its {@link Row.Columns}, by identity): the encoded column names, in place order. */
    private static final Map<Row.Columns, SerializedString[]> ROW_NAMES = new java.util.concurrent.ConcurrentHashMap<>();

    /** Column names, encoded once: a handful per table, written by every event. */
    private static final Map<String, SerializedString> NAMES = new java.util.concurrent.ConcurrentHashMap<>();

    /** A field name encoded once and reused (bounded: names beyond 10,000 are encoded each time). */
    public static SerializedString name(String name) {
        SerializedString s = NAMES.get(name);
        if (s == null) {
            s = new SerializedString(name);
            if (NAMES.size() < 10_000) {
                NAMES.put(name, s);
            }
        }
        return s;
    }

    /**
     * A decimal as a plain JSON number with its scale ({@code 12.50}). Decimals of up to 18 digits are written digit by
     * digit — {@link BigDecimal#toPlainString()} was a quarter of the encoding time; larger ones go through it.
     */
    static void writeDecimal(JsonGenerator g, BigDecimal d) throws IOException {
        int scale = d.scale();
        if (scale < 0 || scale > 18 || d.precision() > 18) {
            g.writeNumber(d);
            return;
        }
        long unscaled = d.unscaledValue().longValue();
        long x = Math.abs(unscaled);
        char[] b = new char[21];
        int p = b.length;
        int written = 0;
        do {
            b[--p] = (char) ('0' + x % 10);
            x /= 10;
            if (++written == scale) {
                b[--p] = '.';
            }
        } while (x != 0 || written <= scale);
        if (unscaled < 0) {
            b[--p] = '-';
        }
        g.writeNumber(b, p, b.length - p);
    }

    /** A number kept as text by the model (LSN, txId) as a JSON number when it is one, else as text. */
    static void writeNumeric(JsonGenerator g, String value) throws IOException {
        if (value == null) {
            g.writeNull();
            return;
        }
        if (digits(value)) { // a binlog position ("file.000001:4") is text: an exception per change cost a fifth of the encoding
            try {
                g.writeNumber(Long.parseLong(value));
                return;
            } catch (NumberFormatException beyondLong) {
                // 19 digits above Long.MAX_VALUE: text
            }
        }
        g.writeString(value);
    }

    /** Whether {@code s} is a sign and at most 19 digits — what {@link Long#parseLong} may take. */
    private static boolean digits(String s) {
        int n = s.length();
        int i = n > 0 && (s.charAt(0) == '-' || s.charAt(0) == '+') ? 1 : 0;
        if (i == n || n - i > 19) {
            return false;
        }
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
