package sources;

import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;

import java.util.List;
import java.util.Map;

/** A source consumer that hands the route one exchange per batch (docs/design.md, "The route"): the CDC engine's and the polling source. */
public abstract class BatchConsumer extends DefaultConsumer implements SourceConsumer {

    protected BatchConsumer(Endpoint endpoint, Processor processor) {
        super(endpoint, processor);
    }

    /** One batch as one exchange through the route; the exception that failed it, or null when it was delivered. */
    protected Exception throughRoute(List<?> batch, boolean snapshotEnds) {
        return throughRoute(batch, snapshotEnds, Map.of());
    }

    /** {@link #throughRoute(List, boolean)} with more headers (the snapshot ledger's). */
    protected Exception throughRoute(List<?> batch, boolean snapshotEnds, Map<String, Object> headers) {
        Exchange exchange = createExchange(false);
        try {
            exchange.getIn().setBody(batch);
            exchange.getIn().setHeader(model.BatchHeaders.SNAPSHOT_COMPLETED, snapshotEnds);
            headers.forEach(exchange.getIn()::setHeader);
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        Exception failure = exchange.getException();
        releaseExchange(exchange, false);
        return failure;
    }

    /** One batch through the route; throws {@link BatchNotDeliveredException} when it failed. */
    protected void throughRoute(List<?> batch, boolean snapshotEnds, Map<String, Object> headers, String what) {
        Exception failure = throughRoute(batch, snapshotEnds, headers);
        if (failure != null) {
            throw new BatchNotDeliveredException(what + " not delivered: " + failure.getMessage(), failure);
        }
    }

    /** Thrown out of a source's batch handler so the source stops instead of committing. */
    static final class BatchNotDeliveredException extends RuntimeException {
        BatchNotDeliveredException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
