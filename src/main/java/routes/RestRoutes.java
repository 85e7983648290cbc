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

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    private static final String UNAUTHORIZED = "tributary.unauthorized";
    private String token;

    /**
     * An API route; with {@code tributary.api.token} set, every one but health first checks
     * {@code Authorization: Bearer <token>} (constant-time comparison) and answers 401 without it.
     */
    private org.apache.camel.model.RouteDefinition api(String from, String routeId) {
        org.apache.camel.model.RouteDefinition route = from(from).routeId(routeId);
        if (token != null && !routeId.startsWith("api-health")) {
            byte[] expected = ("Bearer " + token).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            route.process(e -> {
                String given = e.getMessage().getHeader("Authorization", String.class);
                if (given == null || !java.security.MessageDigest.isEqual(expected, given.getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
                    e.setProperty(UNAUTHORIZED, true);
                    e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 401);
                    e.getMessage().setHeader("WWW-Authenticate", "Bearer");
                    e.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
                    e.getMessage().setBody("{\"error\":\"a bearer token is required (Authorization: Bearer <tributary.api.token>)\"}");
                }
                e.getMessage().removeHeader("Authorization"); // never carried further
            }).choice().when(exchangeProperty(UNAUTHORIZED)).stop().end();
        }
        return route;
    }

    /** {@code tributary.api.token} (application.properties) or the environment's {@code TRIBUTARY_API_TOKEN}; null = no auth. */
    private String apiToken() {
        String token = getContext().getPropertiesComponent().resolveProperty("tributary.api.token")
                .orElse(System.getenv("TRIBUTARY_API_TOKEN"));
        return token == null || token.isBlank() ? null : token.trim();
    }

    private final PipelineRegistry registry;
    private final runtime.PipelineManager manager;

    public RestRoutes(PipelineRegistry registry, runtime.PipelineManager manager) {
        this.registry = registry;
        this.manager = manager;
    }

    @Override
    public void configure() {
        restConfiguration().component("platform-http").bindingMode(RestBindingMode.json)
                .skipBindingOnErrorCode(false); // 404 and 503 answers are JSON too

        token = apiToken();

        rest("/api").produces("application/json") // answers are JSON whatever the request's Content-Type
                .get("/pipelines").routeId("api-pipelines-list").to("direct:api-pipelines-list")
                .get("/pipelines/{name}").routeId("api-pipeline-get").to("direct:api-pipeline-get")
                .post("/pipelines/{name}/start").routeId("api-pipeline-start").to("direct:api-pipeline-start")
                .post("/pipelines/{name}/stop").routeId("api-pipeline-stop").to("direct:api-pipeline-stop")
                // bodies are YAML or JSON pipeline documents, read as text (the same loader as files)
                .post("/pipelines").bindingMode(RestBindingMode.off).routeId("api-pipeline-create").to("direct:api-pipeline-create")
                .put("/pipelines/{name}").bindingMode(RestBindingMode.off).routeId("api-pipeline-update").to("direct:api-pipeline-update")
                .delete("/pipelines/{name}").bindingMode(RestBindingMode.off).routeId("api-pipeline-delete").to("direct:api-pipeline-delete")
                .post("/pipelines/{name}/pause").bindingMode(RestBindingMode.off).routeId("api-pipeline-pause").to("direct:api-pipeline-pause")
                .post("/pipelines/{name}/resume").bindingMode(RestBindingMode.off).routeId("api-pipeline-resume").to("direct:api-pipeline-resume")
                .get("/health").routeId("api-health").to("direct:api-health");

        api("direct:api-pipelines-list", "api-pipelines-list-impl")
                .process(e -> e.getMessage().setBody(new java.util.ArrayList<>(registry.all().stream().map(PipelineRuntime::status).toList())));
        api("direct:api-pipeline-get", "api-pipeline-get-impl")
                .process(e -> withPipeline(e, p -> e.getMessage().setBody(p.status())));
        api("direct:api-pipeline-start", "api-pipeline-start-impl")
                .process(e -> withPipeline(e, p -> {
                    p.start();
                    e.getMessage().setBody(p.status());
                }));
        api("direct:api-pipeline-stop", "api-pipeline-stop-impl")
                .process(e -> withPipeline(e, p -> {
                    p.stop();
                    e.getMessage().setBody(p.status());
                }));
        api("direct:api-pipeline-create", "api-pipeline-create-impl")
                .process(e -> answer(e, 201, () -> manager.create(e.getMessage().getBody(String.class)).status()));
        api("direct:api-pipeline-update", "api-pipeline-update-impl")
                .process(e -> answer(e, 200, () -> manager.update(e.getMessage().getHeader("name", String.class),
                        e.getMessage().getBody(String.class)).status()));
        api("direct:api-pipeline-delete", "api-pipeline-delete-impl")
                .process(e -> answer(e, 200, () -> {
                    String name = e.getMessage().getHeader("name", String.class);
                    config.PipelineSpec spec = manager.delete(name);
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("deleted", name);
                    if ("true".equals(e.getMessage().getHeader("dropSlot", String.class))) {
                        body.put("droppedSlot", sources.PostgresTables.dropSlot(spec.source()));
                    }
                    return body;
                }));
        api("direct:api-pipeline-pause", "api-pipeline-pause-impl")
                .process(e -> answer(e, 200, () -> {
                    manager.pause(e.getMessage().getHeader("name", String.class));
                    return registry.get(e.getMessage().getHeader("name", String.class)).orElseThrow().status();
                }));
        api("direct:api-pipeline-resume", "api-pipeline-resume-impl")
                .process(e -> answer(e, 200, () -> {
                    manager.resume(e.getMessage().getHeader("name", String.class));
                    return registry.get(e.getMessage().getHeader("name", String.class)).orElseThrow().status();
                }));
        api("direct:api-health", "api-health-impl")
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

    private interface Answer {
        Object get() throws Exception;
    }

    /**
     * A JSON answer: {@code code} and the body, or 400 with {@code [{key, reason}]} for an invalid pipeline document,
     * 404 for an unknown pipeline, 409 for a conflict with the current state.
     */
    private static void answer(Exchange e, int code, Answer answer) throws Exception {
        Object body;
        try {
            body = answer.get();
        } catch (config.PipelineConfigException invalid) {
            code = 400;
            body = invalid.errors().stream().map(RestRoutes::keyAndReason).toList();
        } catch (runtime.PipelineManager.Conflict conflict) {
            code = 409;
            body = Map.of("error", conflict.getMessage());
        } catch (java.util.NoSuchElementException missing) {
            code = 404;
            body = Map.of("error", missing.getMessage());
        }
        e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, code);
        e.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        e.getMessage().setBody(JSON.writeValueAsString(body));
    }

    /** {@code "(request): objects[0].where: not a SQL condition"} → {key: objects[0].where, reason: not a SQL condition}. */
    static Map<String, String> keyAndReason(String error) {
        String rest = error.startsWith("(request): ") ? error.substring("(request): ".length()) : error;
        int colon = rest.indexOf(": ");
        Map<String, String> item = new LinkedHashMap<>();
        item.put("key", colon < 0 ? "(file)" : rest.substring(0, colon));
        item.put("reason", colon < 0 ? rest : rest.substring(colon + 2));
        return item;
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
