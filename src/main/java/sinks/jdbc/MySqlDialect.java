package sinks.jdbc;

import java.time.Instant;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * MySQL, MariaDB and OceanBase (MySQL mode): backquoted identifiers, {@code INSERT … ON DUPLICATE KEY UPDATE}.
 * No time-zone types: timestamptz goes to DATETIME(6) holding UTC; json to JSON (MariaDB: LONGTEXT with a check), uuid
 * to CHAR(36), interval to its ISO-8601 text.
 */
public class MySqlDialect extends GenericDialect {

    @Override
    public String quote(String identifier) {
        return quote(identifier, "`", "`");
    }

    @Override
    public String upsert(String table, List<String> columns, List<String> keyColumns, Map<String, String> sourceTypes, int rows) {
        List<String> values = valueColumns(columns, keyColumns);
        // with no value column, "update the key to itself" keeps the statement an idempotent upsert
        List<String> updated = values.isEmpty() ? keyColumns : values;
        return insert(table, columns, sourceTypes, rows) + " ON DUPLICATE KEY UPDATE " + updated.stream()
                .map(c -> quote(c) + " = VALUES(" + quote(c) + ")").collect(Collectors.joining(", "));
    }

    /** Tables we create hold any text: a server whose default charset is latin1 would refuse Chinese. */
    @Override
    public String createTable(String table, Map<String, String> sourceTypes, List<String> keyColumns) {
        return super.createTable(table, sourceTypes, keyColumns) + " DEFAULT CHARSET=utf8mb4";
    }

    /** LONGTEXT cannot be a key without a prefix length: unbounded text keys become VARCHAR(255) (utf8mb4: 1,020 bytes). */
    @Override
    protected String keyTextType() {
        return "VARCHAR(255)";
    }

    @Override
    protected String keyBytesType() {
        return "VARBINARY(255)";
    }

    @Override
    protected String doubleType() {
        return "DOUBLE";
    }

    @Override
    protected String booleanType() {
        return "BOOLEAN";
    }

    @Override
    protected String textType() {
        return "LONGTEXT";
    }

    @Override
    protected String timestampType() {
        return "DATETIME(6)";
    }

    @Override
    protected String timestampWithZoneType() {
        return "DATETIME(6)"; // UTC
    }

    @Override
    protected String timeWithZoneType() {
        return "VARCHAR(32)"; // ISO-8601 text with its offset
    }

    @Override
    protected String bytesType() {
        return "LONGBLOB";
    }

    @Override
    protected String jsonType() {
        return "JSON";
    }

    @Override
    protected String unboundedDecimal() {
        return "DECIMAL(65,30)";
    }

    @Override
    protected void bindInstant(PreparedStatement st, int index, Instant value) throws SQLException {
        st.setTimestamp(index, Timestamp.valueOf(LocalDateTime.ofInstant(value, ZoneOffset.UTC)));
    }
}
