package sources;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.UUID;

/** A polled row's values in the canonical event's Java types (model.ChangeEvent), and its columns' source types. */
final class JdbcValues {

    private JdbcValues() {
    }

    static Object read(ResultSet rs, int i, ResultSetMetaData md) throws SQLException {
        String typeName = md.getColumnTypeName(i).toLowerCase(Locale.ROOT);
        Object value = switch (typeName) {
            case "timestamptz" -> rs.getObject(i, OffsetDateTime.class) == null ? null : rs.getObject(i, OffsetDateTime.class).toInstant();
            case "uuid" -> rs.getObject(i) == null ? null : UUID.fromString(rs.getString(i));
            case "json", "jsonb" -> rs.getString(i);
            default -> switch (md.getColumnType(i)) {
                case Types.NUMERIC, Types.DECIMAL -> rs.getBigDecimal(i);
                case Types.TIMESTAMP -> rs.getObject(i, LocalDateTime.class);
                case Types.TIMESTAMP_WITH_TIMEZONE -> rs.getObject(i, OffsetDateTime.class) == null ? null
                        : rs.getObject(i, OffsetDateTime.class).toInstant();
                case Types.DATE -> rs.getObject(i, LocalDate.class);
                case Types.TIME -> rs.getObject(i, LocalTime.class);
                case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> rs.getBytes(i);
                case Types.BOOLEAN -> rs.getBoolean(i);
                case Types.BIT -> md.getPrecision(i) <= 1 ? (Object) rs.getBoolean(i) : rs.getBytes(i);
                case Types.TINYINT, Types.SMALLINT, Types.INTEGER -> rs.getInt(i);
                case Types.BIGINT -> rs.getObject(i) instanceof BigDecimal || rs.getObject(i) instanceof java.math.BigInteger
                        ? new BigDecimal(rs.getString(i)) : (Object) rs.getLong(i); // BIGINT UNSIGNED may not fit a long
                case Types.REAL -> rs.getFloat(i);
                case Types.FLOAT, Types.DOUBLE -> rs.getDouble(i);
                default -> rs.getString(i);
            };
        };
        return rs.wasNull() ? null : value;
    }

    /** {@code NUMERIC(12,2)}, {@code VARCHAR(40)}, {@code TIMESTAMPTZ}: the same shape the log-based sources give. */
    static String sourceType(ResultSetMetaData md, int i) throws SQLException {
        String name = md.getColumnTypeName(i).toUpperCase(Locale.ROOT);
        return switch (md.getColumnType(i)) {
            case Types.NUMERIC, Types.DECIMAL -> md.getPrecision(i) > 0 && md.getPrecision(i) < 1000
                    ? name + "(" + md.getPrecision(i) + "," + md.getScale(i) + ")" : name;
            case Types.VARCHAR, Types.CHAR, Types.NVARCHAR, Types.NCHAR -> md.getPrecision(i) > 0 && md.getPrecision(i) < 65_536
                    ? name + "(" + md.getPrecision(i) + ")" : name;
            default -> name;
        };
    }
}
