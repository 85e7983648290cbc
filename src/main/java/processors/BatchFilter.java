package processors;

import model.ChangeEvent;
import org.apache.camel.Exchange;
import counters.BatchTally;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** What every filtering box does to a batch: keep, replace or drop each change, in order, and count the dropped ones. */
final class BatchFilter {

    private BatchFilter() {
    }

    /** @param each a change → the change to keep (itself or another), or null to drop it */
    static void apply(Exchange exchange, UnaryOperator<ChangeEvent> each) throws Exception {
        @SuppressWarnings("unchecked")
        List<ChangeEvent> events = exchange.getIn().getMandatoryBody(List.class);
        List<ChangeEvent> kept = new ArrayList<>(events.size());
        for (ChangeEvent e : events) {
            ChangeEvent out = each.apply(e);
            if (out != null) {
                kept.add(out);
            }
        }
        BatchTally.of(exchange).filtered(events.size() - kept.size());
        exchange.getIn().setBody(kept);
    }
}
