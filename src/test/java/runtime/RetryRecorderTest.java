package runtime;

import config.PipelineLoader;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A pipeline route's redeliveries become the pipeline's errors; other routes' do not touch any pipeline. */
class RetryRecorderTest {

    @Test
    void eachRedeliveryOfAPipelineBatchIsOneErrorOfThatPipeline() throws Exception {
        PipelineRegistry pipelines = new PipelineRegistry();
        try (CamelContext camel = new DefaultCamelContext()) {
            PipelineRuntime orders = new PipelineRuntime(new PipelineLoader().parse("orders.yaml", """
                    pipeline: orders
                    source: {type: postgres, host: localhost, port: 5432, database: shop, user: u, password: p}
                    objects: [{table: public.orders}]
                    sink: {type: kafka, brokers: "localhost:9092"}
                    """), () -> camel);
            pipelines.add(orders);
            camel.getManagementStrategy().addEventNotifier(new RetryRecorder(pipelines));
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    errorHandler(defaultErrorHandler().maximumRedeliveries(3).redeliveryDelay(1));
                    from("direct:orders").routeId("orders").process(e -> {
                        throw new IllegalStateException("sink down");
                    });
                    from("direct:other").routeId("other").process(e -> {
                        throw new IllegalStateException("elsewhere");
                    });
                }
            });
            camel.start();
            camel.createProducerTemplate().send("direct:orders", e -> { });
            camel.createProducerTemplate().send("direct:other", e -> { });
            assertEquals(3, orders.counters().errors.get());
            assertTrue(orders.counters().lastError().contains("sink down"), orders.counters().lastError());
        }
    }
}
