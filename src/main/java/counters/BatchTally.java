package counters;

import org.apache.camel.Exchange;

import java.util.ArrayList;
import java.util.List;

/**
 * What the steps did to one batch, left on its exchange: changes read, filtered and deduplicated, and notices for the
 * operator. When the exchange ends, the pipeline's counters add them up (an event notifier, {@code runtime.PipelineNotifier}),
 * so the steps hold no counters of their own and behave the same in a hand-written route. A batch read again after a
 * restart counts again, as it did before.
 */
public final class BatchTally {

    /** The exchange property that holds it. */
    public static final String PROPERTY = "TributaryBatchTally";

    private long eventsIn;
    private long filtered;
    private long deduplicated;
    private final List<String> notices = new ArrayList<>();

    /** The tally of an exchange, made on first use. */
    public static BatchTally of(Exchange exchange) {
        BatchTally tally = exchange.getProperty(PROPERTY, BatchTally.class);
        if (tally == null) {
            tally = new BatchTally();
            exchange.setProperty(PROPERTY, tally);
        }
        return tally;
    }

    public synchronized void read(long changes) {
        eventsIn += changes;
    }

    public synchronized void filtered(long changes) {
        filtered += changes;
    }

    public synchronized void deduplicated(long changes) {
        deduplicated += changes;
    }

    public synchronized void notice(String message) {
        notices.add(message);
    }

    public synchronized void addTo(PipelineCounters counters) {
        counters.eventsIn.addAndGet(eventsIn);
        counters.eventsFiltered.addAndGet(filtered);
        counters.eventsDeduplicated.addAndGet(deduplicated);
        notices.forEach(counters::recordNotice);
    }
}
