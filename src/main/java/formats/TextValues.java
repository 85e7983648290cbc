package formats;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Locale;

/**
 * A value written as text (Canal, OMS, SharePlex) back as the canonical model holds it, by its column's source type
 * ({@code numeric(10,2)} → BigDecimal, {@code timestamp} → LocalDateTime, {@code bytea} → byte[] …). Text that does not
 * parse as its type (MySQL's zero date {@code 0000-00-00}, PostgreSQL's {@code NaN} numeric) stays text; an unknown
 * type leaves the text as it is.
 */
final class TextValues {

    private TextValues() {
    }

    /**
     * @param base64Bytes binary columns are Base64 (oms-extend, DataWorks, SharePlex); else one ISO-8859-1 character per
     *                    byte (Canal, oms-default)
     */
    static Object parse(String text, String sourceType, boolean base64Bytes) {
        if (text == null || sourceType == null || sourceType.isEmpty()) {
            return text;
        }
        try {
            return switch (SqlTypes.jdbcType(sourceType)) {
                case Types.BOOLEAN -> switch (text.toLowerCase(Locale.ROOT)) {
                    case "true", "t", "1" -> Boolean.TRUE;
                    case "false", "f", "0" -> Boolean.FALSE;
                    default -> text;
                };
                case Types.TINYINT, Types.SMALLINT -> Short.valueOf(text);
                case Types.INTEGER -> {
                    long n = Long.parseLong(text);
                    yield n == (int) n ? (Object) (int) n : (Object) n; // INT UNSIGNED may exceed an int
                }
                case Types.BIGINT -> {
                    BigInteger n = new BigInteger(text);
                    yield n.bitLength() < 64 ? (Object) n.longValue() : n; // BIGINT UNSIGNED may exceed a long
                }
                case Types.DECIMAL, Types.NUMERIC -> new BigDecimal(text);
                case Types.REAL -> Float.valueOf(text);
                case Types.DOUBLE -> Double.valueOf(text);
                case Types.DATE -> LocalDate.parse(text);
                case Types.TIME -> LocalTime.parse(text);
                case Types.TIMESTAMP -> LocalDateTime.parse(text.replace(' ', 'T'));
                case Types.TIMESTAMP_WITH_TIMEZONE -> text.endsWith("Z") ? Instant.parse(text.replace(' ', 'T'))
                        : LocalDateTime.parse(text.replace(' ', 'T')).toInstant(ZoneOffset.UTC); // written in UTC without zone
                case Types.BLOB, Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY ->
                        base64Bytes ? Base64.getDecoder().decode(text) : text.getBytes(StandardCharsets.ISO_8859_1);
                default -> text;
            };
        } catch (RuntimeException notOfItsType) {
            return text;
        }
    }
}
