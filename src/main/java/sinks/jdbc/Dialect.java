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
    String upsert(String table, List<String> columns, List<String> keyColumns, Map<String, String> sourceTypes);

    /** Plain insert, for tables without a primary key (insert-only mode). */
    String insert(String table, List<String> columns, Map<String, String> sourceTypes);

    String delete(String table, List<String> keyColumns, Map<String, String> sourceTypes);

    /** CREATE TABLE for the given columns (in order, with source types) and primary key; must not fail if it exists. */
    String createTable(String table, Map<String, String> sourceTypes, List<String> keyColumns);

    String addColumn(String table, String column, String sourceType);

    /** Binds one value with its SQL meaning (BigDecimal, java.time, byte[], UUID, JSON text...). */
    void bind(java.sql.PreparedStatement statement, int index, Object value, String sourceType) throws java.sql.SQLException;
}
