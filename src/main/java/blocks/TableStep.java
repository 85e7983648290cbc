package blocks;

import config.PipelineSpec.ObjectSpec;
import config.PipelineSpec.Rename;
import model.ChangeEvent;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import processors.ObjectSelector;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A processing step of a pipeline file's {@code objects[]} for hand-written routes, configured by bean properties:
 * {@code tables} picks the tables it applies to ({@code schema.table}, {@code *} in the table name; every table when
 * unset); other tables' changes pass unchanged. The body is a batch, {@code List<ChangeEvent>}, in and out.
 */
public abstract class TableStep implements Processor {

    private String tables;
    private volatile ObjectSelector selector;
    private volatile UnaryOperator<ChangeEvent> step;

    public String getTables() {
        return tables;
    }

    public void setTables(String tables) {
        this.tables = tables;
        selector = null;
    }

    /** The object this step stands for: its table pattern and the step's own keys. */
    protected abstract ObjectSpec object(String schema, String table);

    /** The change → the change to keep (itself or another), or null to drop it. */
    protected abstract UnaryOperator<ChangeEvent> step(ObjectSelector selector);

    /** A property whose value does not fit: the message names the bean class and the property. */
    protected IllegalArgumentException invalid(String property, String reason) {
        return new IllegalArgumentException(getClass().getSimpleName() + "." + property + ": " + reason);
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        ObjectSelector s = selector();
        @SuppressWarnings("unchecked")
        List<ChangeEvent> events = exchange.getIn().getMandatoryBody(List.class);
        List<ChangeEvent> out = new ArrayList<>(events.size());
        for (ChangeEvent e : events) {
            ChangeEvent kept = s.selects(e.table()) ? step.apply(e) : e;
            if (kept != null) {
                out.add(kept);
            }
        }
        exchange.getIn().setBody(out);
    }

    private ObjectSelector selector() {
        ObjectSelector s = selector;
        if (s == null) {
            String[] parts = tables == null ? new String[0] : tables.split("\\.", -1);
            if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty() || parts[0].contains("*")) {
                throw invalid("tables", tables == null ? "missing (schema.table, e.g. public.orders or public.order_*)"
                        : "'" + tables + "' is not schema.table ('*' may stand for any run of characters in the table name)");
            }
            s = new ObjectSelector(List.of(object(parts[0], parts[1])));
            step = step(s);
            selector = s;
        }
        return s;
    }

    static List<String> names(String commaSeparated) {
        if (commaSeparated == null || commaSeparated.isBlank()) {
            return List.of();
        }
        return Arrays.stream(commaSeparated.split("[,\\s]+")).filter(n -> !n.isEmpty()).toList();
    }

    static Map<String, String> pairs(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String pair : names(text)) {
            String[] kv = pair.split(":", 2);
            m.put(kv[0], kv.length > 1 ? kv[1] : kv[0]);
        }
        return m;
    }

    static ObjectSpec object(String schema, String table, String where, List<String> columns, Rename rename) {
        return new ObjectSpec(schema, table, "-", List.of(), null, null, null, where, columns, rename);
    }
}
