package routes;

import model.ChangeEvent;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pipeline template as a hand-written route uses it: from YAML, with its own beans, retries and step ids. */
class PipelineTemplateTest {

    @Test
    void aYamlTemplatedRouteRunsTheStepsItBindsAndPassesTheOthers() throws Exception {
        List<Object> delivered = new ArrayList<>();
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.getRegistry().bind("mark", (org.apache.camel.Processor) e -> e.getIn().setHeader("marked", true));
            camel.getRegistry().bind("collect", (org.apache.camel.Processor) e -> delivered.add(e.getIn().getHeader("marked")));
            camel.addRoutes(new PipelineTemplate());
            PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.fromString("orders.camel.yaml", """
                    - templatedRoute:
                        routeTemplateRef: tributary-pipeline
                        routeId: orders
                        parameters:
                          - name: stepIdPrefix
                            value: orders-
                          - name: source
                            value: direct:orders
                          - name: where
                            value: mark
                          - name: description
                            value: orders to the collector
                          - name: sink
                            value: collect
                    """));
            camel.start();
            camel.createProducerTemplate().sendBody("direct:orders", List.<ChangeEvent>of());
            assertEquals(List.of(true), delivered);
            assertEquals("orders to the collector", camel.getRoute("orders").getDescription());
            List<String> ids = ((ModelCamelContext) camel).getRouteDefinition("orders").getOutputs().stream()
                    .map(o -> o.getId()).toList();
            assertEquals(List.of("orders-stale-owner", "orders-normalize", "orders-renames", "orders-select", "orders-start-at", "orders-where",
                    "orders-columns", "orders-transaction-ends", "orders-snapshot-ledger", "orders-dedup", "orders-sink",
                    "orders-dedup-remember"), ids);
        }
    }

    @Test
    void aFailingBatchIsRetriedAsTheParametersSayAndThenFailsTheExchange() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.addRoutes(new PipelineTemplate());
            RouteBuilder failing = new RouteBuilder() {
                @Override
                public void configure() {
                    templatedRoute(PipelineTemplate.ID).routeId("failing").prefixId("failing-")
                            .parameter("source", "direct:failing").parameter("retries", "2").parameter("retryDelayMs", "1")
                            .parameter("sink", "failingSink")
                            .parameter("start-at", "start-at-step").bean("start-at-step", (org.apache.camel.Processor) e -> { })
                            .bean("failingSink", (org.apache.camel.Processor) e -> {
                                attempts.incrementAndGet();
                                throw new IllegalStateException("sink down");
                            });
                }
            };
            camel.addRoutes(failing);
            camel.addTemplatedRoutes(failing);
            AtomicInteger redeliveryEvents = new AtomicInteger();
            camel.getManagementStrategy().addEventNotifier(new org.apache.camel.support.EventNotifierSupport() {
                @Override
                public void notify(org.apache.camel.spi.CamelEvent event) {
                    if (event instanceof org.apache.camel.spi.CamelEvent.ExchangeRedeliveryEvent) {
                        redeliveryEvents.incrementAndGet();
                    }
                }
            });
            camel.start();
            ProducerTemplate producer = camel.createProducerTemplate();
            Exchange done = producer.send("direct:failing", e -> e.getIn().setBody(List.of()));
            assertEquals(3, attempts.get(), "the first attempt and 2 retries");
            assertEquals(2, redeliveryEvents.get(), "each retry is an event (runtime.PipelineNotifier counts them as the pipeline's errors)");
            assertInstanceOf(IllegalStateException.class, done.getException(), "the failure stays on the exchange: nothing is skipped");
            assertNotNull(camel.getRoute("failing"));
            assertTrue(camel.getRouteController().getRouteStatus("failing").isStarted());
        }
    }
}
