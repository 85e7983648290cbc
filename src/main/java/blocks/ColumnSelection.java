package blocks;

import config.PipelineSpec.ObjectSpec;
import model.ChangeEvent;
import processors.ColumnProjection;
import processors.ObjectSelector;

import java.util.function.UnaryOperator;

/**
 * {@code objects[].columns} as a bean: keeps only {@code columns} (comma-separated; the primary key always stays) of
 * the changes of {@code tables}.
 */
public class ColumnSelection extends TableStep {

    private String columns;

    public String getColumns() {
        return columns;
    }

    public void setColumns(String columns) {
        this.columns = columns;
    }

    @Override
    protected ObjectSpec object(String schema, String table) {
        if (names(columns).isEmpty()) {
            throw invalid("columns", "missing (column names, comma-separated)");
        }
        return object(schema, table, null, names(columns), null);
    }

    @Override
    protected UnaryOperator<ChangeEvent> step(ObjectSelector selector) {
        return new ColumnProjection(selector)::project;
    }
}
