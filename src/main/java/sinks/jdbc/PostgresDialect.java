package sinks.jdbc;

import model.SourceType;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/** PostgreSQL: {@code INSERT … ON CONFLICT (key) DO UPDATE SET c = EXCLUDED.c}; native json/jsonb, uuid, bytea, interval. */
public class PostgresDialect extends GenericDialect {

    @Override
    public String upsert(String table, List<String> columns, List<String> keyColumns, Map<String, String> sourceTypes, int rows) {
        List<String> values = valueColumns(columns, keyColumns);
        return insert(table, columns, sourceTypes, rows) + " ON CONFLICT (" + columnList(keyColumns) + ") DO "
                + (values.isEmpty() ? "NOTHING" : "UPDATE SET " + values.stream()
                .map(c -> quote(c) + " = EXCLUDED." + quote(c)).collect(Collectors.joining(", ")));
    }

    /** A multi-row INSERT inserts, and ON CONFLICT updates, its rows in the order of the VALUES list. */
    @Override
    public int rowsPerStatement(int columns) {
        return valuesListRows(columns);
    }

    @Override
    protected String placeholder(String sourceType) {
        String name = SourceType.parse(sourceType).name();
        return switch (name) {
            case "JSON", "JSONB", "INTERVAL", "UUID" -> "CAST(? AS " + name.toLowerCase() + ")";
            default -> "?";
        };
    }

    @Override
    protected String unboundedDecimal() {
        return "NUMERIC";
    }

    @Override
    protected String bytesType() {
        return "BYTEA";
    }

    @Override
    protected String jsonType() {
        return "JSONB";
    }

    @Override
    protected String uuidType() {
        return "UUID";
    }

    @Override
    protected String intervalType() {
        return "INTERVAL";
    }

    @Override
    public String columnType(String sourceType) {
        return "JSON".equals(SourceType.parse(sourceType).name()) ? "JSON" : super.columnType(sourceType);
    }

    @Override
    public void bind(PreparedStatement st, int index, Object value, String sourceType) throws SQLException {
        if (value instanceof UUID u) {
            st.setString(index, u.toString()); // cast by the placeholder
        } else if (value == null) {
            st.setNull(index, Types.OTHER);
        } else {
            super.bind(st, index, value, sourceType);
        }
    }
}
