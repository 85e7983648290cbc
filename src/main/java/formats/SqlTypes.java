package formats;

import java.sql.Types;
import java.util.Locale;

/**
 * What the formats say about a column's type, from the source type name the event carries ({@code NUMERIC(12,2)},
 * {@code INT4}, {@code VARCHAR(100)}, {@code DATETIME}…): a JDBC type code (Canal's {@code sqlType}) and an OMS
 * "light type" ({@code oms-extend}'s {@code __light_type}). One table for PostgreSQL, MySQL/MariaDB, SQL Server and
 * JDBC-polled names; an unknown name is {@link Types#OTHER} / {@code STRING}.
 */
public final class SqlTypes {

    private SqlTypes() {
    }

    /** The name without its size: {@code NUMERIC(12,2)} → {@code NUMERIC}; {@code INT UNSIGNED} → {@code INT}. */
    static String base(String sourceType) {
        String s = sourceType.toUpperCase(Locale.ROOT);
        int paren = s.indexOf('(');
        if (paren >= 0) {
            s = s.substring(0, paren);
        }
        int space = s.indexOf(' ');
        if (space >= 0 && !s.startsWith("DOUBLE PRECISION") && !s.startsWith("CHARACTER VARYING")) {
            s = s.substring(0, space);
        }
        return s.trim();
    }

    /** Type names seen so far → their code: a handful per pipeline, asked for by every column of every change. */
    private static final java.util.Map<String, Integer> CODES = new java.util.concurrent.ConcurrentHashMap<>();

    /** The {@link java.sql.Types} code of a source type. */
    public static int jdbcType(String sourceType) {
        if (sourceType == null) {
            return Types.OTHER;
        }
        Integer code = CODES.get(sourceType);
        if (code == null) {
            code = parse(sourceType);
            if (CODES.size() < 10_000) {
                CODES.put(sourceType, code);
            }
        }
        return code;
    }

    private static int parse(String sourceType) {
        String base = base(sourceType);
        return switch (base) {
            case "BOOL", "BOOLEAN" -> Types.BOOLEAN;
            case "BIT" -> sourceType.equalsIgnoreCase("BIT") || sourceType.equalsIgnoreCase("BIT(1)") ? Types.BOOLEAN : Types.BIT;
            case "TINYINT" -> Types.TINYINT;
            case "SMALLINT", "INT2", "SMALLSERIAL", "YEAR" -> Types.SMALLINT;
            case "INT", "INTEGER", "INT4", "MEDIUMINT", "SERIAL" -> Types.INTEGER;
            case "BIGINT", "INT8", "BIGSERIAL" -> Types.BIGINT;
            case "DECIMAL", "NUMERIC", "MONEY", "SMALLMONEY" -> Types.DECIMAL;
            case "REAL", "FLOAT4", "FLOAT" -> Types.REAL;
            case "DOUBLE", "FLOAT8", "DOUBLE PRECISION" -> Types.DOUBLE;
            case "CHAR", "BPCHAR", "NCHAR", "CHARACTER", "ENUM", "SET" -> Types.CHAR;
            case "VARCHAR", "NVARCHAR", "CHARACTER VARYING", "VARCHAR2", "NVARCHAR2", "UUID", "UNIQUEIDENTIFIER", "INET", "CIDR" -> Types.VARCHAR;
            case "TEXT", "TINYTEXT", "MEDIUMTEXT", "LONGTEXT", "CLOB", "NTEXT", "NCLOB" -> Types.CLOB;
            case "JSON", "JSONB", "XML" -> Types.LONGVARCHAR;
            case "DATE" -> Types.DATE;
            case "TIME" -> sourceType.toUpperCase(Locale.ROOT).contains("WITH TIME ZONE") ? Types.TIME_WITH_TIMEZONE : Types.TIME;
            case "TIMETZ" -> Types.TIME_WITH_TIMEZONE;
            case "DATETIME", "DATETIME2", "SMALLDATETIME", "TIMESTAMP" ->
                    sourceType.toUpperCase(Locale.ROOT).contains("WITH TIME ZONE") ? Types.TIMESTAMP_WITH_TIMEZONE : Types.TIMESTAMP;
            case "TIMESTAMPTZ", "DATETIMEOFFSET" -> Types.TIMESTAMP_WITH_TIMEZONE;
            case "BLOB", "TINYBLOB", "MEDIUMBLOB", "LONGBLOB", "IMAGE" -> Types.BLOB;
            case "BINARY" -> Types.BINARY;
            case "VARBINARY", "BYTEA" -> Types.VARBINARY;
            default -> Types.OTHER;
        };
    }

    /** OMS's light type of a source type: how a consumer should read the text value. */
    public static String lightType(String sourceType) {
        return switch (jdbcType(sourceType)) {
            case Types.BOOLEAN -> "BOOL";
            case Types.BIT -> "BIT";
            case Types.TINYINT -> "INT8";
            case Types.SMALLINT -> "INT16";
            case Types.INTEGER -> "INT32";
            case Types.BIGINT -> "INT64";
            case Types.DECIMAL -> "DECIMAL";
            case Types.REAL -> "FLOAT";
            case Types.DOUBLE -> "DOUBLE";
            case Types.DATE -> "DATE";
            case Types.TIME, Types.TIME_WITH_TIMEZONE -> "TIME";
            case Types.TIMESTAMP -> "TIMESTAMP";
            case Types.TIMESTAMP_WITH_TIMEZONE -> "TIMESTAMP_WITH_TIME_ZONE";
            case Types.BLOB, Types.BINARY, Types.VARBINARY -> "BINARY";
            case Types.LONGVARCHAR -> "JSON";
            default -> "STRING";
        };
    }
}
