package processors;

import config.PipelineSpec.ObjectSpec;
import model.ChangeEvent;
import model.TableId;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

import java.util.List;
import java.util.Optional;

/**
 * The "select object" step: keeps the events of tables the pipeline lists and counts the others as filtered. It is also
 * the routing sinks read: where a table's changes go ({@link ObjectRouting}, immutable) after its aliases
 * ({@link TableAliases}: renames followed at run time).
 */
public class ObjectSelector implements Processor, model.TableRouting {

    private final ObjectRouting routing;
    private final TableAliases aliases = new TableAliases();

    public ObjectSelector(List<ObjectSpec> objects) {
        this.routing = new ObjectRouting(objects);
        aliases.onChange(() -> lastHit = new LastHit(null, Optional.empty()));
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        BatchFilter.apply(exchange, e -> target(e.table()).isPresent() ? e : null);
    }

    /** The routing by the objects alone. */
    public ObjectRouting routing() {
        return routing;
    }

    /** The tables known under another name (renames). */
    public TableAliases aliases() {
        return aliases;
    }

    /** The topic of a selected table. */
    @Override
    public String topicOf(TableId table) {
        return targetOf(table).topic();
    }

    /** The columns that choose a selected table's partition or queue, by their output names (after rename); empty = its primary key. */
    @Override
    public List<String> shardingColumnsOf(TableId table) {
        ObjectRouting.Target t = targetOf(table);
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
        return routing.selects(table);
    }

    /** The HDFS folder of a selected table (relative to the sink's path unless absolute). */
    @Override
    public String folderOf(TableId table) {
        return targetOf(table).folder();
    }

    private ObjectRouting.Target targetOf(TableId table) {
        return target(table).orElseThrow(() -> new IllegalStateException("no object maps " + table));
    }

    /** The last table asked about and its target: a batch is mostly one table, asked about several times per change. */
    private record LastHit(TableId table, Optional<ObjectRouting.Target> target) {
    }

    private volatile LastHit lastHit = new LastHit(null, Optional.empty());

    private Optional<ObjectRouting.Target> target(TableId table) {
        LastHit last = lastHit;
        if (last.table() == table) {
            return last.target();
        }
        Optional<ObjectRouting.Target> target = routing.target(aliases.original(table));
        lastHit = new LastHit(table, target);
        return target;
    }
}
