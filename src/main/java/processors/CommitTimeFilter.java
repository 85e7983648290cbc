package processors;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * Drops the changes committed before a pipeline's {@code startTimestamp} (counted as filtered). A binlog seek starts at
 * the beginning of the binlog file that holds the instant; this removes that file's earlier changes. Compared to the
 * second: binlog events carry whole seconds. In a hand-written route: a bean with the property {@code startTimestamp}
 * (ISO-8601 with offset), run as {@code process: {ref: NAME}}.
 */
public class CommitTimeFilter implements Processor {

    private volatile Instant notBefore;

    /** For a route's bean: {@link #setStartTimestamp} sets the instant. */
    public CommitTimeFilter() {
    }

    public CommitTimeFilter(Instant startTimestamp) {
        this.notBefore = startTimestamp.truncatedTo(ChronoUnit.SECONDS);
    }

    public String getStartTimestamp() {
        return notBefore == null ? null : notBefore.toString();
    }

    /** The instant, e.g. {@code 2026-11-22T08:00:00Z}; changes committed before it (to the second) are dropped. */
    public void setStartTimestamp(String startTimestamp) {
        try {
            notBefore = OffsetDateTime.parse(startTimestamp).toInstant().truncatedTo(ChronoUnit.SECONDS);
        } catch (DateTimeParseException | NullPointerException e) {
            throw new IllegalArgumentException("CommitTimeFilter.startTimestamp: '" + startTimestamp
                    + "' is not an ISO-8601 date-time with offset (e.g. 2026-11-22T08:00:00Z)");
        }
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Instant from = notBefore;
        if (from == null) {
            throw new IllegalStateException("CommitTimeFilter.startTimestamp: missing (the instant to deliver changes from)");
        }
        BatchFilter.apply(exchange, e -> e.position().commitTs().isBefore(from) ? null : e);
    }
}
