package sinks;

import model.ChangeEvent;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import runtime.PipelineCounters;

import java.util.List;

/**
 * The Kafka sink of a pipeline: sends a whole batch of change events through a camel-kafka endpoint (idempotent
 * producer, acks=all) and returns only when every record is acknowledged; any failed record fails the exchange, so
 * the route's error handler retries the whole batch and no offset moves meanwhile.
 */
public class KafkaSink extends BatchSink {

    private final CamelContext context;
    private final String endpointUri;
    private final KafkaRecords records;
    private Endpoint endpoint;
    private ProducerTemplate template;

    public KafkaSink(CamelContext context, String endpointUri, KafkaRecords records, PipelineCounters counters) {
        super(counters);
        this.context = context;
        this.endpointUri = endpointUri;
        this.records = records;
    }

    @Override
    protected void doStart() {
        endpoint = context.getEndpoint(endpointUri);
        template = context.createProducerTemplate();
    }

    @Override
    protected void doStop() throws Exception {
        if (template != null) {
            template.stop();
        }
    }

    @Override
    protected void deliver(List<ChangeEvent> events) throws Exception {
        Exchange batch = endpoint.createExchange();
        batch.getIn().setBody(records.messages(context, events));
        template.send(endpoint, batch);
        if (batch.getException() != null) {
            throw batch.getException();
        }
    }
}
