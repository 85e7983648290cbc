package blocks;

import config.PipelineSpec.ObjectSpec;
import model.ChangeEvent;
import processors.ObjectSelector;
import conditions.RowCondition;
import processors.RowFilter;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * {@code objects[].where} as a bean: keeps the rows of {@code tables} that satisfy {@code where} (SQL, docs/processing.md);
 * an update that leaves the condition becomes a delete, one that enters it an insert.
 * <pre>
 * - beans: [{name: paidOnly, type: blocks.WhereFilter, properties: {tables: public.orders, where: "status = 'paid'"}}]
 * </pre>
 */
public class WhereFilter extends TableStep {

    private String where;

    public String getWhere() {
        return where;
    }

    public void setWhere(String where) {
        this.where = where;
    }

    @Override
    protected ObjectSpec object(String schema, String table) {
        if (where == null || where.isBlank()) {
            throw invalid("where", "missing (a SQL condition, e.g. status = 'paid')");
        }
        try {
            RowCondition.parse(where);
        } catch (RuntimeException e) {
            throw invalid("where", e.getMessage());
        }
        return object(schema, table, where, List.of(), null);
    }

    @Override
    protected UnaryOperator<ChangeEvent> step(ObjectSelector selector) {
        RowFilter filter = new RowFilter(selector);
        return e -> e.op() == model.Op.DDL ? e : filter.filter(e);
    }
}
