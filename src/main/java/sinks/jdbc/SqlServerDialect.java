package sinks.jdbc;

import model.SourceType;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** SQL Server: bracketed identifiers, {@code MERGE … WITH (HOLDLOCK)} as upsert, N-types for text, DATETIMEOFFSET. */
public class SqlServerDialect extends GenericDialect {

    @Override
    public String quote(String identifier) {
        return quote(identifier, "[", "]");
    }

    @Override
    public String upsert(String table, List<String> columns, List<String> keyColumns, Map<String, String> sourceTypes, int rows) {
        if (rows != 1) {
            throw new IllegalArgumentException("a MERGE upserts one row here (rowsPerStatement is 1)");
        }
        List<String> values = valueColumns(columns, keyColumns);
        String source = columns.stream().map(c -> placeholder(sourceTypes.get(c)) + " AS " + quote(c)).collect(Collectors.joining(", "));
        String on = keyColumns.stream().map(c -> "t." + quote(c) + " = s." + quote(c)).collect(Collectors.joining(" AND "));
        String update = values.isEmpty() ? "" : " WHEN MATCHED THEN UPDATE SET " + values.stream()
                .map(c -> "t." + quote(c) + " = s." + quote(c)).collect(Collectors.joining(", "));
        return "MERGE INTO " + quote(table) + " WITH (HOLDLOCK) AS t USING (SELECT " + source + ") AS s ON (" + on + ")" + update
                + " WHEN NOT MATCHED THEN INSERT (" + columnList(columns) + ") VALUES ("
                + columns.stream().map(c -> "s." + quote(c)).collect(Collectors.joining(", ")) + ");";
    }

    @Override
    public String createTable(String table, Map<String, String> sourceTypes, List<String> keyColumns) {
        // no CREATE TABLE IF NOT EXISTS before SQL Server 2016 syntax differences: guard with OBJECT_ID
        return "IF OBJECT_ID(N'" + table.replace("'", "''") + "', N'U') IS NULL " + super.createTable(table, sourceTypes, keyColumns);
    }

    @Override
    protected String ifNotExists() {
        return "";
    }

    /** (MAX) types cannot be keys: unbounded text keys become NVARCHAR(450) (900 bytes, the index limit). */
    @Override
    protected String keyTextType() {
        return "NVARCHAR(450)";
    }

    @Override
    protected String keyBytesType() {
        return "VARBINARY(900)";
    }

    @Override
    protected String doubleType() {
        return "FLOAT";
    }

    @Override
    protected String booleanType() {
        return "BIT";
    }

    @Override
    protected String textType() {
        return "NVARCHAR(MAX)";
    }

    @Override
    public String columnType(String sourceType) {
        SourceType t = SourceType.parse(sourceType);
        if ((t.name().equals("VARCHAR") || t.name().equals("CHARACTER VARYING")) && t.length() > 0) {
            return t.length() <= 4000 ? "NVARCHAR(" + t.length() + ")" : "NVARCHAR(MAX)";
        }
        return super.columnType(sourceType);
    }

    @Override
    protected String timestampType() {
        return "DATETIME2(6)";
    }

    @Override
    protected String timestampWithZoneType() {
        return "DATETIMEOFFSET(6)";
    }

    @Override
    protected String timeWithZoneType() {
        return "NVARCHAR(32)";
    }

    @Override
    protected String bytesType() {
        return "VARBINARY(MAX)";
    }

    @Override
    protected String uuidType() {
        return "UNIQUEIDENTIFIER";
    }

    @Override
    protected String unboundedDecimal() {
        return "DECIMAL(38,10)";
    }
}
