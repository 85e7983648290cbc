package model;

import java.util.Objects;

/** A table's full name. {@code schema} is null for databases without schemas (MySQL). */
public record TableId(String database, String schema, String table) {

    public TableId {
        Objects.requireNonNull(table, "table");
    }

    /** {@code schema.table} (or {@code database.table} where there is no schema): the name pipelines match on. */
    public String qualifiedName() {
        return (schema != null ? schema : database) + "." + table;
    }

    @Override
    public String toString() {
        return database + "." + qualifiedName();
    }
}
