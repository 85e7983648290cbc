package sinks.jdbc;

import model.SourceType;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** ANSI SQL: double-quoted identifiers, MERGE-less upsert left to the subclasses, portable type names. */
public abstract class GenericDialect implements Dialect {

    @Override
    public String quote(String identifier) {
        return quote(identifier, "\"", "\"");
    }

    /** Quotes each part of {@code schema.table} between {@code open} and {@code close}, doubling a {@code close} inside. */
    protected static String quote(String identifier, String open, String close) {
        return List.of(identifier.split("\\.")).stream().map(p -> open + p.replace(close, close + close) + close).collect(Collectors.joining("."));
    }

    @Override
    public String insert(String table, List<String> columns, Map<String, String> sourceTypes, int rows) {
        String row = "(" + placeholders(columns, sourceTypes) + ")";
        return "INSERT INTO " + quote(table) + " (" + columnList(columns) + ") VALUES " + String.join(", ", java.util.Collections.nCopies(rows, row));
    }

    /**
     * For a database that applies a VALUES list row by row: as many rows as keep a statement under 128 rows and
     * 32,767 parameters (the smallest limit among the drivers), rounded down to a power of two.
     */
    protected static int valuesListRows(int columns) {
        return Integer.highestOneBit(Math.max(1, Math.min(128, 32_767 / Math.max(1, columns))));
    }

    @Override
    public String delete(String table, List<String> keyColumns, Map<String, String> sourceTypes) {
        return "DELETE FROM " + quote(table) + " WHERE " + keyColumns.stream()
                .map(c -> quote(c) + " = " + placeholder(sourceTypes.get(c))).collect(Collectors.joining(" AND "));
    }

    @Override
    public String createTable(String table, Map<String, String> sourceTypes, List<String> keyColumns) {
        StringBuilder sql = new StringBuilder("CREATE TABLE ").append(ifNotExists()).append(quote(table)).append(" (");
        sourceTypes.forEach((column, type) -> sql.append(quote(column)).append(' ')
                .append(keyColumns.contains(column) ? keyColumnType(type) + " NOT NULL" : columnType(type)).append(", "));
        if (keyColumns.isEmpty()) {
            sql.setLength(sql.length() - 2);
        } else {
            sql.append("PRIMARY KEY (").append(columnList(keyColumns)).append(')');
        }
        return sql.append(')').toString();
    }

    /** The type of a primary-key column: the column type, unless the database cannot index it (unbounded text or bytes). */
    protected String keyColumnType(String sourceType) {
        String type = columnType(sourceType);
        return type.equals(textType()) ? keyTextType() : type.equals(bytesType()) ? keyBytesType() : type;
    }

    protected String keyTextType() {
        return textType();
    }

    protected String keyBytesType() {
        return bytesType();
    }

    protected String ifNotExists() {
        return "IF NOT EXISTS ";
    }

    @Override
    public String addColumn(String table, String column, String sourceType) {
        return "ALTER TABLE " + quote(table) + " ADD " + quote(column) + " " + columnType(sourceType);
    }

    /** The columns an upsert updates: all but the key. */
    protected static List<String> valueColumns(List<String> columns, List<String> keyColumns) {
        return columns.stream().filter(c -> !keyColumns.contains(c)).toList();
    }

    protected String columnList(List<String> columns) {
        return columns.stream().map(this::quote).collect(Collectors.joining(", "));
    }

    protected String placeholders(List<String> columns, Map<String, String> sourceTypes) {
        return columns.stream().map(c -> placeholder(sourceTypes.get(c))).collect(Collectors.joining(", "));
    }

    /** The parameter marker for a value of this source type; a dialect may cast (PostgreSQL: {@code CAST(? AS jsonb)}). */
    protected String placeholder(String sourceType) {
        return "?";
    }

    /** Portable mapping of PostgreSQL / MySQL source type names; dialects override the names their database spells differently. */
    @Override
    public String columnType(String sourceType) {
        SourceType t = SourceType.parse(sourceType);
        return switch (t.name()) {
            case "INT2", "SMALLINT", "SMALLSERIAL", "TINYINT" -> "SMALLINT";
            case "INT4", "INT", "INTEGER", "SERIAL", "MEDIUMINT" -> "INTEGER";
            case "INT8", "BIGINT", "BIGSERIAL" -> "BIGINT";
            case "NUMERIC", "DECIMAL" -> t.length() > 0 ? "DECIMAL(" + t.length() + "," + Math.max(t.scale(), 0) + ")" : unboundedDecimal();
            case "FLOAT4", "REAL", "FLOAT" -> "REAL";
            case "FLOAT8", "DOUBLE PRECISION", "DOUBLE" -> doubleType();
            case "BOOL", "BOOLEAN", "BIT" -> booleanType();
            case "VARCHAR", "CHARACTER VARYING" -> t.length() > 0 ? "VARCHAR(" + t.length() + ")" : textType();
            case "BPCHAR", "CHAR", "CHARACTER" -> t.length() > 0 ? "CHAR(" + t.length() + ")" : "CHAR(1)";
            case "DATE" -> "DATE";
            case "TIME" -> "TIME" + precision(6);
            case "TIMETZ" -> timeWithZoneType();
            case "TIMESTAMP", "DATETIME" -> timestampType();
            case "TIMESTAMPTZ" -> timestampWithZoneType();
            case "BYTEA", "BLOB", "BINARY", "VARBINARY", "LONGBLOB" -> bytesType();
            case "JSON", "JSONB" -> jsonType();
            case "UUID" -> uuidType();
            case "INTERVAL" -> intervalType();
            default -> textType();
        };
    }

    protected String precision(int digits) {
        return "(" + digits + ")";
    }

    protected String unboundedDecimal() {
        return "DECIMAL(65,30)";
    }

    protected String doubleType() {
        return "DOUBLE PRECISION";
    }

    protected String booleanType() {
        return "BOOLEAN";
    }

    protected String textType() {
        return "TEXT";
    }

    protected String timestampType() {
        return "TIMESTAMP(6)";
    }

    protected String timestampWithZoneType() {
        return "TIMESTAMP(6) WITH TIME ZONE";
    }

    protected String timeWithZoneType() {
        return "TIME(6) WITH TIME ZONE";
    }

    protected String bytesType() {
        return "BLOB";
    }

    protected String jsonType() {
        return textType();
    }

    protected String uuidType() {
        return "CHAR(36)";
    }

    protected String intervalType() {
        return "VARCHAR(64)"; // ISO-8601 duration text (PT1H30M): no portable interval type
    }

    @Override
    public void bind(PreparedStatement st, int index, Object value, String sourceType) throws SQLException {
        if (value == null) {
            st.setNull(index, Types.NULL);
        } else if (value instanceof Instant i) {
            bindInstant(st, index, i);
        } else if (value instanceof LocalDateTime t) {
            st.setTimestamp(index, Timestamp.valueOf(t));
        } else if (value instanceof LocalDate d) {
            st.setObject(index, d);
        } else if (value instanceof LocalTime t) {
            st.setObject(index, t);
        } else if (value instanceof UUID || value instanceof Duration) {
            st.setString(index, value.toString());
        } else if (value instanceof byte[] b) {
            st.setBytes(index, b);
        } else {
            st.setObject(index, value);
        }
    }

    /** A point in time: as an OffsetDateTime in UTC where the driver supports it. */
    protected void bindInstant(PreparedStatement st, int index, Instant value) throws SQLException {
        st.setObject(index, OffsetDateTime.ofInstant(value, ZoneOffset.UTC));
    }
}
