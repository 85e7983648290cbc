package snapshots;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.util.Base64;
import java.util.UUID;

/**
 * A key value as one line-safe text that reads back as the same Java value (type and all), so a delete built from the
 * ledger encodes in every format exactly as the row's own changes did. A type tag, then the value's text with tab,
 * newline and backslash escaped; a type without a text form here goes through Java serialization (Base64).
 * Hand-written: JSON would turn a BigDecimal key into a double and an Instant into a string.
 */
final class LedgerValues {

    private LedgerValues() {
    }

    /** {@link #encode} appended to a ledger line, without a String per value for the usual key types. */
    static void append(StringBuilder line, Object v) {
        if (v instanceof Integer i) {
            line.append('I').append(i.intValue());
        } else if (v instanceof Long l) {
            line.append('L').append(l.longValue());
        } else {
            line.append(encode(v));
        }
    }

    static String encode(Object v) {
        if (v == null) {
            return "N";
        }
        if (v instanceof String s) {
            return "S" + escape(s);
        }
        if (v instanceof Integer i) {
            return "I" + i;
        }
        if (v instanceof Long l) {
            return "L" + l;
        }
        if (v instanceof Short s) {
            return "H" + s;
        }
        if (v instanceof Byte b) {
            return "Y" + b;
        }
        if (v instanceof BigDecimal d) {
            return "D" + d;
        }
        if (v instanceof BigInteger d) {
            return "G" + d;
        }
        if (v instanceof Boolean b) {
            return "Z" + b;
        }
        if (v instanceof Double d) {
            return "F" + Double.doubleToRawLongBits(d);
        }
        if (v instanceof Float f) {
            return "f" + Float.floatToRawIntBits(f);
        }
        if (v instanceof Instant t) {
            return "T" + t;
        }
        if (v instanceof LocalDateTime t) {
            return "U" + t;
        }
        if (v instanceof LocalDate t) {
            return "V" + t;
        }
        if (v instanceof LocalTime t) {
            return "W" + t;
        }
        if (v instanceof OffsetDateTime t) {
            return "O" + t;
        }
        if (v instanceof OffsetTime t) {
            return "P" + t;
        }
        if (v instanceof UUID u) {
            return "Q" + u;
        }
        if (v instanceof byte[] b) {
            return "X" + Base64.getEncoder().encodeToString(b);
        }
        if (v instanceof Serializable s) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(s);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return "J" + Base64.getEncoder().encodeToString(bytes.toByteArray());
        }
        return "S" + escape(v.toString());
    }

    static Object decode(String text) {
        char tag = text.charAt(0);
        String s = text.substring(1);
        return switch (tag) {
            case 'N' -> null;
            case 'S' -> unescape(s);
            case 'I' -> Integer.valueOf(s);
            case 'L' -> Long.valueOf(s);
            case 'H' -> Short.valueOf(s);
            case 'Y' -> Byte.valueOf(s);
            case 'D' -> new BigDecimal(s);
            case 'G' -> new BigInteger(s);
            case 'Z' -> Boolean.valueOf(s);
            case 'F' -> Double.longBitsToDouble(Long.parseLong(s));
            case 'f' -> Float.intBitsToFloat(Integer.parseInt(s));
            case 'T' -> Instant.parse(s);
            case 'U' -> LocalDateTime.parse(s);
            case 'V' -> LocalDate.parse(s);
            case 'W' -> LocalTime.parse(s);
            case 'O' -> OffsetDateTime.parse(s);
            case 'P' -> OffsetTime.parse(s);
            case 'Q' -> UUID.fromString(s);
            case 'X' -> Base64.getDecoder().decode(s);
            case 'J' -> {
                try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(s)))) {
                    yield in.readObject();
                } catch (IOException | ClassNotFoundException e) {
                    throw new IllegalStateException("unreadable ledger value", e);
                }
            }
            default -> throw new IllegalStateException("unknown ledger value tag " + tag);
        };
    }

    private static String escape(String s) {
        if (s.indexOf('\\') < 0 && s.indexOf('\t') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\t' -> b.append("\\t");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                b.append(switch (n) {
                    case 't' -> '\t';
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    default -> n;
                });
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
