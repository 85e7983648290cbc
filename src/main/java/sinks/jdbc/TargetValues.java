package sinks.jdbc;

import java.math.BigDecimal;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;

/**
 * Values of no known source type — read back from a format that writes JSON without types (Debezium's JSON without
 * schemas, json-row) — fitted to the target column's JDBC type: ISO text into date/time columns, Base64 text into
 * binary ones, text into numbers, numbers into booleans. A number for a date/time column is read as Debezium writes
 * them: days since 1970 for a date; for a timestamp, milliseconds below 10^13 (until the year 2286), microseconds below
 * 10^16, else nanoseconds; for a time, microseconds of the day above 86,400,000, else milliseconds. A value that
 * does not parse is passed as it is, and the database says what is wrong.
 */
final class TargetValues {

    private TargetValues() {
    }

    /** {@code value} fitted to {@code targetType} (java.sql.Types) when its source type is unknown; else unchanged. */
    static Object fit(Object value, String sourceType, Integer targetType) {
        if (value == null || targetType == null || (sourceType != null && !sourceType.isEmpty())) {
            return value;
        }
        try {
            return switch (targetType) {
                case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE -> value instanceof String s ? timestamp(s)
                        : value instanceof Number n ? epochTimestamp(n.longValue()) : value;
                case Types.DATE -> value instanceof String s ? LocalDate.parse(s.length() > 10 ? s.substring(0, 10) : s)
                        : value instanceof Number n ? LocalDate.ofEpochDay(n.longValue()) : value;
                case Types.TIME, Types.TIME_WITH_TIMEZONE -> value instanceof String s ? LocalTime.parse(s)
                        : value instanceof Number n ? timeOfDay(n.longValue()) : value;
                case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> value instanceof String s ? Base64.getDecoder().decode(s) : value;
                case Types.BIT, Types.BOOLEAN -> value instanceof Number n ? n.longValue() != 0
                        : value instanceof String s ? ("true".equalsIgnoreCase(s) || "1".equals(s)) : value;
                case Types.NUMERIC, Types.DECIMAL, Types.INTEGER, Types.BIGINT, Types.SMALLINT, Types.TINYINT, Types.REAL,
                     Types.FLOAT, Types.DOUBLE -> value instanceof String s ? new BigDecimal(s.trim()) : value;
                default -> value;
            };
        } catch (DateTimeParseException | IllegalArgumentException e) {
            return value; // not what the column takes: the database's own error names the column and the value
        }
    }

    /** ISO text with an offset or 'Z' as an instant; without one as a local date-time ('T' or a space between). */
    private static Object timestamp(String s) {
        String t = s.trim().replace(' ', 'T');
        char last = t.charAt(t.length() - 1);
        if (last == 'Z' || t.lastIndexOf('+') > 10 || t.lastIndexOf('-') > 10) {
            return OffsetDateTime.parse(t).toInstant();
        }
        return LocalDateTime.parse(t);
    }

    private static LocalDateTime epochTimestamp(long n) {
        Instant at;
        long abs = Math.abs(n);
        if (abs < 10_000_000_000_000L) {
            at = Instant.ofEpochMilli(n);
        } else if (abs < 10_000_000_000_000_000L) {
            at = Instant.ofEpochSecond(Math.floorDiv(n, 1_000_000L), Math.floorMod(n, 1_000_000L) * 1_000L);
        } else {
            at = Instant.ofEpochSecond(Math.floorDiv(n, 1_000_000_000L), Math.floorMod(n, 1_000_000_000L));
        }
        return LocalDateTime.ofInstant(at, java.time.ZoneOffset.UTC);
    }

    private static LocalTime timeOfDay(long n) {
        return n > 86_400_000L ? LocalTime.ofNanoOfDay(n * 1_000L) : LocalTime.ofNanoOfDay(n * 1_000_000L);
    }
}
