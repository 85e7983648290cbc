package sources;

import config.PipelineSpec.ObjectSpec;
import conditions.RowCondition;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Before a log-based source reads anything: every column an object's {@code where} or {@code columns} names must
 * exist in each table the object selects (the source catalog, through JDBC metadata). A wrong name fails the pipeline
 * at start with the object, table and column — not at the table's first change, which may come days later.
 */
public final class SourceColumns {

    private SourceColumns() {
    }

    /** Whether any object names columns (else there is nothing to check). */
    public static boolean needed(List<ObjectSpec> objects) {
        return objects.stream().anyMatch(o -> o.where() != null || !o.columns().isEmpty());
    }

    public static void check(DatabaseSourceConfig source, List<ObjectSpec> objects) throws Exception {
        List<String> problems = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(source.jdbcUrl(), source.user(), source.password())) {
            DatabaseMetaData md = c.getMetaData();
            for (int i = 0; i < objects.size(); i++) {
                ObjectSpec o = objects.get(i);
                Set<String> named = new LinkedHashSet<>(o.columns());
                if (o.where() != null) {
                    named.addAll(RowCondition.parse(o.where()).columns());
                }
                if (named.isEmpty()) {
                    continue;
                }
                for (Map.Entry<String, Set<String>> table : columnsOf(md, source, o).entrySet()) {
                    for (String column : named) {
                        if (table.getValue().stream().noneMatch(have -> have.equalsIgnoreCase(column))) {
                            problems.add("objects[" + i + "] (" + o.schema() + "." + o.table() + "): " + (o.columns().contains(column) ? "columns" : "where")
                                    + " names column '" + column + "', which " + o.schema() + "." + table.getKey()
                                    + " does not have (its columns: " + String.join(", ", table.getValue()) + ")");
                        }
                    }
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException(String.join("; ", problems));
        }
    }

    /** Table → its columns, for the tables an object selects ({@code *} patterns included). */
    private static Map<String, Set<String>> columnsOf(DatabaseMetaData md, DatabaseSourceConfig source, ObjectSpec o) throws Exception {
        String pattern = o.table().replace("_", md.getSearchStringEscape() + "_").replace("*", "%");
        boolean catalogIsDatabase = source.catalogIsDatabase();
        Map<String, Set<String>> tables = new LinkedHashMap<>();
        try (ResultSet rs = md.getColumns(catalogIsDatabase ? o.schema() : null, catalogIsDatabase ? null : o.schema(), pattern, null)) {
            while (rs.next()) {
                tables.computeIfAbsent(rs.getString("TABLE_NAME"), t -> new LinkedHashSet<>()).add(rs.getString("COLUMN_NAME"));
            }
        }
        return tables;
    }
}
