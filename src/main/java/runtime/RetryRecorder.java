package runtime;

import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * Each redelivery of a pipeline's batch recorded as an error of that pipeline (its status's {@code errors}), read from
 * Camel's redelivery events: the pipeline template's error handler stays the same for every pipeline, with no hook of
 * its own. Routes that are not pipelines are left alone.
 */
public final class RetryRecorder extends EventNotifierSupport {

    private final PipelineRegistry pipelines;

    public RetryRecorder(PipelineRegistry pipelines) {
        this.pipelines = pipelines;
        setIgnoreCamelContextEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeCompletedEvent(true);
        setIgnoreExchangeSendingEvents(true);
        setIgnoreExchangeSentEvents(true);
        setIgnoreStepEvents(true);
        // not the failed events: a redelivery event is one of them, and Camel would not send it
    }

    @Override
    public void notify(CamelEvent event) {
        if (event instanceof CamelEvent.ExchangeRedeliveryEvent e && e.getExchange().getFromRouteId() != null) {
            Exchange exchange = e.getExchange();
            Throwable cause = exchange.getException() != null ? exchange.getException()
                    : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
            pipelines.get(exchange.getFromRouteId()).ifPresent(p -> p.counters().recordError(cause));
        }
    }
}
