package processors;

import conditions.RowCondition;
import config.PipelineSpec.ObjectSpec;
import model.ChangeEvent;
import model.Op;
import model.TableId;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The "row filter" box of docs/design.md, "The route": {@code objects[].where} evaluated on each change (docs/processing.md):
 * <ul>
 *   <li>insert / snapshot row: on the new row; delete: on the old row (a delete whose old row is only the key —
 *       PostgreSQL without {@code REPLICA IDENTITY FULL} — cannot be judged and is delivered: deleting a row the
 *       destination never had is harmless, keeping one it should not is not);</li>
 *   <li>update: on the new row <em>and</em> the old one. In → in: the update. Out → in: an <b>insert</b> of the new row
 *       (it enters the filtered set). In → out: a <b>delete</b> of the old row (it leaves it). Out → out: dropped. No old
 *       row logged: the new row decides — in: the update; out: a delete (with the new row's key), so the destination
 *       never keeps a row that no longer qualifies.</li>
 * </ul>
 * A condition naming a column the table does not have stops the pipeline at the table's first change, naming both.
 */
public class RowFilter implements Processor {

    private final ObjectSelector selector;
    /** Per table: its compiled condition, or empty when its object has none. */
    private final Map<TableId, Optional<RowCondition>> conditions = new ConcurrentHashMap<>();
    /** Per table: the column set last checked against its condition. */
    private final Map<TableId, Map<String, String>> checked = new ConcurrentHashMap<>();

    public RowFilter(ObjectSelector selector) {
        this.selector = selector;
    }

    /** Whether any object has a condition (the route leaves this box out otherwise). */
    public static boolean needed(List<ObjectSpec> objects) {
        return objects.stream().anyMatch(o -> o.where() != null);
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        BatchFilter.apply(exchange, e -> e.op() == Op.DDL ? e : filter(e));
    }

    public ChangeEvent filter(ChangeEvent e) {
        RowCondition condition = conditions.computeIfAbsent(e.table(),
                t -> Optional.ofNullable(selector.objectOf(t).where()).map(RowCondition::parse)).orElse(null);
        if (condition == null) {
            return e;
        }
        check(condition, e);
        return switch (e.op()) {
            case CREATE, READ -> condition.test(e.after()) ? e : null;
            case DELETE -> judgeable(condition, e.before()) && !condition.test(e.before()) ? null : e;
            case UPDATE -> {
                boolean now = condition.test(e.after());
                Boolean before = e.before() == null ? null : condition.test(e.before());
                if (now) {
                    yield Boolean.FALSE.equals(before) ? ChangeEvent.row(e.pipeline(), Op.CREATE, e.table(), null, e.after(),
                            e.primaryKey(), e.columns(), e.position()) : e;
                }
                if (Boolean.FALSE.equals(before)) {
                    yield null; // out → out
                }
                yield ChangeEvent.row(e.pipeline(), Op.DELETE, e.table(), e.before() != null ? e.before() : e.key(), null,
                        e.primaryKey(), e.columns(), e.position());
            }
            default -> e;
        };
    }

    /** Whether an old row holds every column the condition reads (a key-only delete image does not). */
    private static boolean judgeable(RowCondition condition, Map<String, Object> row) {
        return row != null && row.keySet().containsAll(condition.columns());
    }

    private void check(RowCondition condition, ChangeEvent e) {
        Map<String, String> last = checked.get(e.table());
        if (last != null && (last == e.columns() || last.equals(e.columns()))) {
            return;
        }
        for (String column : condition.columns()) {
            if (!e.columns().containsKey(column) && e.columns().keySet().stream().noneMatch(c -> c.equalsIgnoreCase(column))) {
                throw new IllegalArgumentException("objects[].where of " + e.table().qualifiedName() + " (" + condition + ") names column '"
                        + column + "', which the table does not have (its columns: " + String.join(", ", e.columns().keySet()) + ")");
            }
        }
        checked.put(e.table(), e.columns());
    }
}
