package runtime;

import counters.BatchTally;
import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * A pipeline route's exchanges reported into the pipeline's counters, from Camel's events: each redelivery of a batch
 * is an error (its status's {@code errors}), and when a batch's exchange ends, what its steps tallied on it
 * ({@link BatchTally}: changes read, filtered, deduplicated, notices) is added. The steps and the pipeline template's
 * error handler thus hold no counters of their own. Routes that are not pipelines are left alone.
 */
public final class PipelineNotifier extends EventNotifierSupport {

    private final PipelineRegistry pipelines;

    public PipelineNotifier(PipelineRegistry pipelines) {
        this.pipelines = pipelines;
        setIgnoreCamelContextEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeSendingEvents(true);
        setIgnoreExchangeSentEvents(true);
        setIgnoreStepEvents(true);
        // not the failed events: a redelivery event is one of them, and Camel would not send it
    }

    @Override
    public void notify(CamelEvent event) {
        if (!(event instanceof CamelEvent.ExchangeEvent e) || e.getExchange().getFromRouteId() == null) {
            return;
        }
        Exchange exchange = e.getExchange();
        if (event instanceof CamelEvent.ExchangeRedeliveryEvent) {
            Throwable cause = exchange.getException() != null ? exchange.getException()
                    : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
            pipelines.get(exchange.getFromRouteId()).ifPresent(p -> p.counters().recordError(cause));
        } else if (event instanceof CamelEvent.ExchangeCompletedEvent || event instanceof CamelEvent.ExchangeFailedEvent) {
            BatchTally tally = exchange.getProperty(BatchTally.PROPERTY, BatchTally.class);
            if (tally != null) {
                pipelines.get(exchange.getFromRouteId()).ifPresent(p -> tally.addTo(p.counters()));
            }
        }
    }
}
