package sinks.jdbc;

import java.util.List;
import java.util.Map;

/**
 * What differs between target databases for the JDBC sink (docs/sinks/jdbc.md). {@link GenericDialect} holds the
 * ANSI behaviour; each database overrides only what it does differently (as kafka-connect-jdbc's dialects do).
 * Statements use {@code ?} parameters in the order of the column lists given; values are bound by
 * {@link #bind(java.sql.PreparedStatement, int, Object, String)}.
 */
public interface Dialect {

    /** A quoted identifier; {@code schema.table} names are quoted part by part. */
    String quote(String identifier);

    /** The target column type for a source column type (as Debezium reports it, e.g. {@code NUMERIC(12,2)}, {@code int4}). */
    String columnType(String sourceType);

    /** Insert the row, or update the non-key columns of the row with the same key. */
    default String upsert(String table, List<String> columns, List<String> keyColumns, Map<String, String> sourceTypes) {
        return upsert(table, columns, keyColumns, sourceTypes, 1);
    }

    /** The upsert of {@code rows} rows with distinct keys in one statement (at most {@link #rowsPerStatement(int)}). */
    String upsert(String table, List<String> columns, List<String> keyColumns, Map<String, String> sourceTypes, int rows);

    /** Plain insert, for tables without a primary key (insert-only mode). */
    default String insert(String table, List<String> columns, Map<String, String> sourceTypes) {
        return insert(table, columns, sourceTypes, 1);
    }

    /** The insert of {@code rows} rows in one statement (at most {@link #rowsPerStatement(int)}). */
    String insert(String table, List<String> columns, Map<String, String> sourceTypes, int rows);

    /**
     * How many rows one insert or upsert statement may carry for a table of this many columns, a power of two: 1
     * unless the database applies a statement's rows one after the other, in order, as it would apply one statement
     * per row — then one statement of many rows saves the server a statement per row. The rows of one upsert
     * statement have distinct keys (PostgreSQL refuses to update a row twice in one statement).
     */
    default int rowsPerStatement(int columns) {
        return 1;
    }

    String delete(String table, List<String> keyColumns, Map<String, String> sourceTypes);

    /** CREATE TABLE for the given columns (in order, with source types) and primary key; must not fail if it exists. */
    String createTable(String table, Map<String, String> sourceTypes, List<String> keyColumns);

    String addColumn(String table, String column, String sourceType);

    /** Binds one value with its SQL meaning (BigDecimal, java.time, byte[], UUID, JSON text...). */
    void bind(java.sql.PreparedStatement statement, int index, Object value, String sourceType) throws java.sql.SQLException;
}
