package model;

import java.util.Objects;

/** A table's full name. {@code schema} is null for databases without schemas (MySQL). */
public record TableId(String database, String schema, String table) {

    public TableId {
        Objects.requireNonNull(table, "table");
    }

    /** {@code schema.table} (or {@code database.table} where there is no schema): the name pipelines match on. */
    public String qualifiedName() {
        return namespace() + "." + table;
    }

    /** The name before the table's in {@link #qualifiedName()}: the schema, or the database where there is none (MySQL). */
    public String namespace() {
        return schema != null ? schema : database;
    }

    @Override
    public String toString() {
        return database + "." + qualifiedName();
    }
}
