package processors;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Drops the changes committed before a pipeline's {@code startTimestamp} (counted as filtered). A binlog seek starts at
 * the beginning of the binlog file that holds the instant; this removes that file's earlier changes. Compared to the
 * second: binlog events carry whole seconds.
 */
public class CommitTimeFilter implements Processor {

    private final Instant notBefore;

    public CommitTimeFilter(Instant startTimestamp) {
        this.notBefore = startTimestamp.truncatedTo(ChronoUnit.SECONDS);
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        BatchFilter.apply(exchange, e -> e.position().commitTs().isBefore(notBefore) ? null : e);
    }
}
