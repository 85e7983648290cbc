package processors;

import config.PipelineSpec.ObjectSpec;
import model.ChangeEvent;
import model.TableId;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import runtime.PipelineCounters;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The "select object" box of DESIGN.md §2: keeps the events of tables the pipeline lists (the first matching
 * {@code objects[]} entry wins) and knows each table's topic. Other events are counted as filtered.
 */
public class ObjectSelector implements Processor {

    private final List<ObjectSpec> objects;
    private final PipelineCounters counters;
    /** Per table, once: its topic, or empty when no object maps it. */
    private final Map<TableId, Optional<String>> topicByTable = new ConcurrentHashMap<>();

    public ObjectSelector(List<ObjectSpec> objects, PipelineCounters counters) {
        this.objects = List.copyOf(objects);
        this.counters = counters;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        @SuppressWarnings("unchecked")
        List<ChangeEvent> events = exchange.getIn().getMandatoryBody(List.class);
        List<ChangeEvent> selected = new ArrayList<>(events.size());
        for (ChangeEvent e : events) {
            if (mappedTopic(e.table()).isPresent()) {
                selected.add(e);
            }
        }
        counters.eventsFiltered.addAndGet(events.size() - selected.size());
        exchange.getIn().setBody(selected);
    }

    /** The topic of a selected table. */
    public String topicOf(TableId table) {
        return mappedTopic(table).orElseThrow(() -> new IllegalStateException("no object maps " + table));
    }

    private Optional<String> mappedTopic(TableId table) {
        return topicByTable.computeIfAbsent(table, t -> objects.stream().filter(o -> o.matches(t.schema(), t.table())).findFirst()
                .map(o -> o.topicFor(t.schema(), t.table())));
    }
}
