package blocks;

import config.PipelineSpec.ObjectSpec;
import config.PipelineSpec.Rename;
import model.ChangeEvent;
import processors.ColumnProjection;
import processors.ObjectSelector;

import java.util.function.UnaryOperator;

/**
 * {@code objects[].rename} as a bean: the changes of {@code tables} carry other names — {@code database} (or schema),
 * {@code table}, and {@code columns} as {@code old:new} pairs, comma-separated.
 */
public class Renames extends TableStep {

    private String database;
    private String table;
    private String columns;

    public void setDatabase(String database) {
        this.database = database;
    }

    public void setTable(String table) {
        this.table = table;
    }

    public void setColumns(String columns) {
        this.columns = columns;
    }

    public String getDatabase() {
        return database;
    }

    public String getTable() {
        return table;
    }

    public String getColumns() {
        return columns;
    }

    @Override
    protected ObjectSpec object(String schema, String tablePattern) {
        if (database == null && table == null && names(columns).isEmpty()) {
            throw invalid("table", "nothing to rename: set database, table or columns (old:new, ...)");
        }
        return object(schema, tablePattern, null, java.util.List.of(), new Rename(database, table, pairs(columns)));
    }

    @Override
    protected UnaryOperator<ChangeEvent> step(ObjectSelector selector) {
        return new ColumnProjection(selector)::project;
    }
}
