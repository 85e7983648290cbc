package processors;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import counters.PipelineCounters;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Drops the changes committed before a pipeline's {@code startTimestamp} (counted as filtered). A binlog seek starts at
 * the beginning of the binlog file that holds the instant; this removes that file's earlier changes. Compared to the
 * second: binlog events carry whole seconds.
 */
public class CommitTimeFilter implements Processor {

    private final Instant notBefore;
    private final PipelineCounters counters;

    public CommitTimeFilter(Instant startTimestamp, PipelineCounters counters) {
        this.notBefore = startTimestamp.truncatedTo(ChronoUnit.SECONDS);
        this.counters = counters;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        BatchFilter.apply(exchange, counters, e -> e.position().commitTs().isBefore(notBefore) ? null : e);
    }
}
