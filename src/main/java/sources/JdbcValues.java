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
public final class JdbcValues {

    private JdbcValues() {
    }

    /** Reads one column of the current row in the canonical type. */
    public interface Reader {
        Object read(ResultSet rs, int i) throws SQLException;
    }

    public static Object read(ResultSet rs, int i, ResultSetMetaData md) throws SQLException {
        return reader(md, i).read(rs, i);
    }

    /** The reader of column {@code i}, chosen once from its type: a snapshot reads millions of rows of the same columns. */
    public static Reader reader(ResultSetMetaData md, int i) throws SQLException {
        String typeName = md.getColumnTypeName(i).toLowerCase(Locale.ROOT);
        Reader reader = switch (typeName) {
            case "timestamptz" -> (rs, c) -> rs.getObject(c, OffsetDateTime.class) == null ? null : rs.getObject(c, OffsetDateTime.class).toInstant();
            case "uuid" -> (rs, c) -> rs.getObject(c) == null ? null : UUID.fromString(rs.getString(c));
            case "json", "jsonb" -> ResultSet::getString;
            default -> switch (md.getColumnType(i)) {
                case Types.NUMERIC, Types.DECIMAL -> ResultSet::getBigDecimal;
                case Types.TIMESTAMP -> (rs, c) -> rs.getObject(c, LocalDateTime.class);
                case Types.TIMESTAMP_WITH_TIMEZONE -> (rs, c) -> rs.getObject(c, OffsetDateTime.class) == null ? null
                        : rs.getObject(c, OffsetDateTime.class).toInstant();
                case Types.DATE -> (rs, c) -> rs.getObject(c, LocalDate.class);
                case Types.TIME -> (rs, c) -> rs.getObject(c, LocalTime.class);
                case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> ResultSet::getBytes;
                case Types.BOOLEAN -> ResultSet::getBoolean;
                case Types.BIT -> md.getPrecision(i) <= 1 ? ResultSet::getBoolean : ResultSet::getBytes;
                case Types.TINYINT, Types.SMALLINT, Types.INTEGER -> ResultSet::getInt;
                case Types.BIGINT -> (rs, c) -> rs.getObject(c) instanceof BigDecimal || rs.getObject(c) instanceof java.math.BigInteger
                        ? new BigDecimal(rs.getString(c)) : (Object) rs.getLong(c); // BIGINT UNSIGNED may not fit a long
                case Types.REAL -> ResultSet::getFloat;
                case Types.FLOAT, Types.DOUBLE -> ResultSet::getDouble;
                default -> ResultSet::getString;
            };
        };
        return nullable(reader);
    }

    /** The reader, answering null for SQL NULL whatever the getter gave (getInt gives 0). */
    public static Reader nullable(Reader reader) {
        return (rs, c) -> {
            Object value = reader.read(rs, c);
            return rs.wasNull() ? null : value;
        };
    }

    /** {@code NUMERIC(12,2)}, {@code VARCHAR(40)}, {@code TIMESTAMPTZ}: the same shape the log-based sources give. */
    public static String sourceType(ResultSetMetaData md, int i) throws SQLException {
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
