package processors;

import config.PipelineSpec.ObjectSpec;
import model.ChangeEvent;
import model.TableId;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import counters.PipelineCounters;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The "select object" box of docs/design.md, "The route": keeps the events of tables the pipeline lists (the first matching
 * {@code objects[]} entry wins) and knows each table's topic. Other events are counted as filtered.
 */
public class ObjectSelector implements Processor, model.TableRouting {

    private final List<ObjectSpec> objects;
    private final PipelineCounters counters;
    /** Where a table's changes go, resolved once per table. */
    private record Target(String topic, List<String> shardingColumns, String table, String folder, ObjectSpec object) {
    }

    /** Per table, once: its target, or empty when no object maps it. */
    private final Map<TableId, Optional<Target>> targetByTable = new ConcurrentHashMap<>();
    /** Renamed table → the table it was (whose destination it keeps). */
    private final Map<TableId, TableId> aliases = new ConcurrentHashMap<>();

    public ObjectSelector(List<ObjectSpec> objects, PipelineCounters counters) {
        this.objects = List.copyOf(objects);
        this.counters = counters;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        BatchFilter.apply(exchange, counters, e -> target(e.table()).isPresent() ? e : null);
    }

    /** The topic of a selected table. */
    @Override
    public String topicOf(TableId table) {
        return targetOf(table).topic();
    }

    /** The columns that choose a selected table's partition or queue, by their output names (after rename); empty = its primary key. */
    @Override
    public List<String> shardingColumnsOf(TableId table) {
        Target t = targetOf(table);
        if (t.object().rename() == null) {
            return t.shardingColumns();
        }
        return t.shardingColumns().stream().map(c -> t.object().rename().columns().getOrDefault(c, c)).toList();
    }

    /** The {@code objects[]} entry that selects a table (after renames: the one of the table it was). */
    public ObjectSpec objectOf(TableId table) {
        return targetOf(table).object();
    }

    /** The JDBC target table of a selected table. */
    @Override
    public String targetTableOf(TableId table) {
        return targetOf(table).table();
    }

    /** Whether an object selects this table (by its own name). */
    public boolean selects(TableId table) {
        return objects.stream().anyMatch(o -> o.matches(table.namespace(), table.table()));
    }

    /** After {@code RENAME TABLE from TO to}: the changes of {@code to} go where {@code from}'s went. */
    public void alias(TableId to, TableId from) {
        TableId original = aliases.getOrDefault(from, from);
        aliases.put(to, original);
        targetByTable.remove(to);
        lastHit = new LastHit(null, Optional.empty());
    }

    public boolean isAlias(TableId table) {
        return aliases.containsKey(table);
    }

    /** The HDFS folder of a selected table (relative to the sink's path unless absolute). */
    @Override
    public String folderOf(TableId table) {
        return targetOf(table).folder();
    }

    private Target targetOf(TableId table) {
        return target(table).orElseThrow(() -> new IllegalStateException("no object maps " + table));
    }

    /** The last table asked about and its target: a batch is mostly one table, asked about several times per change. */
    private record LastHit(TableId table, Optional<Target> target) {
    }

    private volatile LastHit lastHit = new LastHit(null, Optional.empty());

    private Optional<Target> target(TableId renamed) {
        LastHit last = lastHit;
        if (last.table() == renamed) {
            return last.target();
        }
        Optional<Target> target = resolve(renamed);
        lastHit = new LastHit(renamed, target);
        return target;
    }

    private Optional<Target> resolve(TableId renamed) {
        TableId table = aliases.getOrDefault(renamed, renamed);
        return targetByTable.computeIfAbsent(table, t -> objects.stream().filter(o -> o.matches(t.namespace(), t.table())).findFirst()
                .map(o -> new Target(o.topicFor(t.namespace(), t.table()), o.shardingColumns(), o.targetFor(t.table()),
                        o.pathFor(t.database(), t.namespace(), t.table()), o)));
    }
}
