package runtime;

import config.PipelineLoader;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A pipeline route's redeliveries become the pipeline's errors; other routes' do not touch any pipeline. */
class PipelineNotifierTest {

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
            camel.getManagementStrategy().addEventNotifier(new PipelineNotifier(pipelines));
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

    @Test
    void whatTheStepsTallyOnABatchIsAddedWhenItsExchangeEnds() throws Exception {
        PipelineRegistry pipelines = new PipelineRegistry();
        try (CamelContext camel = new DefaultCamelContext()) {
            config.PipelineSpec spec = new PipelineLoader().parse("orders.yaml", """
                    pipeline: orders
                    source: {type: postgres, host: localhost, port: 5432, database: shop, user: u, password: p}
                    objects: [{table: public.orders}]
                    sink: {type: kafka, brokers: "localhost:9092"}
                    """);
            PipelineRuntime orders = new PipelineRuntime(spec, () -> camel);
            pipelines.add(orders);
            camel.getManagementStrategy().addEventNotifier(new PipelineNotifier(pipelines));
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:orders").routeId("orders")
                            .process(e -> counters.BatchTally.of(e).read(2))
                            .process(new processors.ObjectSelector(spec.objects()));
                }
            });
            camel.start();
            model.SourcePosition at = new model.SourcePosition("postgresql", "1", "1", 1, java.time.Instant.EPOCH, false);
            java.util.List<model.ChangeEvent> batch = java.util.List.of(
                    model.ChangeEvent.row("orders", model.Op.CREATE, new model.TableId("shop", "public", "orders"), null,
                            java.util.Map.of("id", 1), java.util.List.of("id"), java.util.Map.of("id", "INT4"), at),
                    model.ChangeEvent.row("orders", model.Op.CREATE, new model.TableId("shop", "public", "audit"), null,
                            java.util.Map.of("id", 1), java.util.List.of("id"), java.util.Map.of("id", "INT4"), at));
            camel.createProducerTemplate().sendBody("direct:orders", batch);
            assertEquals(2, orders.counters().eventsIn.get());
            assertEquals(1, orders.counters().eventsFiltered.get(), "the table no object selects");
        }
    }
}
