package routes;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.RestBindingMode;
import runtime.PipelineRegistry;
import runtime.PipelineRuntime;
import runtime.PipelineState;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The control API (docs/rest-api.md) on Camel's platform-http server. Answers never carry a secret. */
public class RestRoutes extends RouteBuilder {

    private final PipelineRegistry registry;

    public RestRoutes(PipelineRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void configure() {
        restConfiguration().component("platform-http").bindingMode(RestBindingMode.json)
                .skipBindingOnErrorCode(false); // 404 and 503 answers are JSON too

        rest("/api")
                .get("/pipelines").routeId("api-pipelines-list").to("direct:api-pipelines-list")
                .get("/pipelines/{name}").routeId("api-pipeline-get").to("direct:api-pipeline-get")
                .post("/pipelines/{name}/start").routeId("api-pipeline-start").to("direct:api-pipeline-start")
                .post("/pipelines/{name}/stop").routeId("api-pipeline-stop").to("direct:api-pipeline-stop")
                .get("/health").routeId("api-health").to("direct:api-health");

        from("direct:api-pipelines-list").routeId("api-pipelines-list-impl")
                .process(e -> e.getMessage().setBody(registry.all().stream().map(PipelineRuntime::status).toList()));
        from("direct:api-pipeline-get").routeId("api-pipeline-get-impl")
                .process(e -> withPipeline(e, p -> e.getMessage().setBody(p.status())));
        from("direct:api-pipeline-start").routeId("api-pipeline-start-impl")
                .process(e -> withPipeline(e, p -> {
                    p.start();
                    e.getMessage().setBody(p.status());
                }));
        from("direct:api-pipeline-stop").routeId("api-pipeline-stop-impl")
                .process(e -> withPipeline(e, p -> {
                    p.stop();
                    e.getMessage().setBody(p.status());
                }));
        from("direct:api-health").routeId("api-health-impl")
                .process(e -> {
                    List<String> failed = registry.all().stream()
                            .filter(p -> p.state() == PipelineState.FAILED).map(PipelineRuntime::name).toList();
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("status", failed.isEmpty() ? "UP" : "DOWN");
                    body.put("failedPipelines", failed);
                    e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, failed.isEmpty() ? 200 : 503);
                    e.getMessage().setBody(body);
                });
    }

    private interface PipelineAction {
        void apply(PipelineRuntime pipeline) throws Exception;
    }

    private void withPipeline(Exchange e, PipelineAction action) throws Exception {
        String name = e.getMessage().getHeader("name", String.class);
        var pipeline = registry.get(name);
        if (pipeline.isEmpty()) {
            e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 404);
            e.getMessage().setBody(Map.of("error", "no pipeline named '" + name + "'"));
            return;
        }
        action.apply(pipeline.get());
    }
}
