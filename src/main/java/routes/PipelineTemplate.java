package routes;

import org.apache.camel.LoggingLevel;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.Model;
import org.apache.camel.model.ModelLifecycleStrategy;
import org.apache.camel.model.ModelLifecycleStrategySupport;
import org.apache.camel.model.RedeliveryPolicyDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.model.errorhandler.DefaultErrorHandlerDefinition;

import java.util.Map;

/**
 * The route template every pipeline is an instance of ({@value #ID}): source endpoint → the source's normalize and
 * renames steps → {@link PipelineSteps} in order (select, start-at, where, columns, transaction ends, snapshot ledger,
 * dedup, sink, dedup-remember), with the retry policy as the route's error handler. A pipeline file binds its
 * parameters ({@link PipelineRoutes}): the source URI, a processor bean per step it needs, its {@code errors:} values.
 * A step a pipeline does not need is bound to {@value #PASS}, which leaves the batch as it is.
 * <p>
 * Hand-written routes can use it too ({@code templatedRoute: {routeTemplateRef: tributary-pipeline, parameters: ...}}):
 * each step parameter names a {@code Processor} bean — e.g. {@code changeEvents} as {@code normalize}, or a
 * {@code PipelineObjects} bean's method processors.
 */
public class PipelineTemplate extends RouteBuilder {

    public static final String ID = "tributary-pipeline";
    /** The processor bean of a step a pipeline does not take. */
    public static final String PASS = "tributaryPass";

    @Override
    public void configure() {
        if (getContext().getRegistry().lookupByName(PASS) == null) {
            getContext().getRegistry().bind(PASS, (Processor) exchange -> {
            });
        }
        getContext().getCamelContextExtension().getContextPlugin(Model.class).addModelLifecycleStrategy(DESCRIPTION);
        RouteTemplateDefinition template = routeTemplate(ID)
                .templateParameter("source", null, "the source endpoint's URI")
                .templateParameter("description", "", "the route's description")
                .templateParameter("autoStartup", "true", "start the route with the context")
                .templateParameter("stepIdPrefix", "", "put before each step's id (a pipeline's: its name and a dash)")
                .templateParameter("retries", "10", "redeliveries of a failed batch before the route gives up on it")
                .templateParameter("retryDelayMs", "1000", "the first redelivery's delay; each next one doubles it")
                .templateParameter("maxRetryDelayMs", "60000", "the longest delay between redeliveries")
                .templateParameter("normalize", PASS, "processor bean: each exchange → one batch of canonical changes")
                .templateParameter("renames", PASS, "processor bean: follows tables renamed by DDL");
        for (PipelineSteps step : PipelineSteps.values()) {
            template.templateParameter(step.suffix, step == PipelineSteps.SINK ? null : PASS, "processor bean of the "
                    + step.suffix + " step");
        }
        var route = template.route()
                .errorHandler(retries())
                .routeDescription("{{description}}")
                .autoStartup("{{autoStartup}}")
                .from("{{source}}");
        // cluster mode: another node owns the pipeline now; retrying cannot help, the batch fails at once
        route.onException(state.StaleOwnerException.class).id("{{stepIdPrefix}}stale-owner").maximumRedeliveries(0).end();
        // #bean: — a template's local beans are found by it, not by a plain processor reference. The step parameters
        // are dash-case (as the step ids): Camel 4.17 does not find a local bean named by a camelCase parameter
        // (PipelineTemplateTest binds a one-word and a dash-case step)
        route.process("#bean:{{normalize}}").id("{{stepIdPrefix}}normalize");
        route.process("#bean:{{renames}}").id("{{stepIdPrefix}}renames");
        for (PipelineSteps step : PipelineSteps.values()) {
            route.process("#bean:{{" + step.suffix + "}}").id("{{stepIdPrefix}}" + step.suffix);
        }
    }

    /**
     * Camel does not resolve placeholders in a route's description: a route made from this template gets its
     * {@code description} parameter when it is added.
     */
    private static final ModelLifecycleStrategy DESCRIPTION = new ModelLifecycleStrategySupport() {
        @Override
        public void onAddRouteDefinition(RouteDefinition route) {
            Map<String, Object> parameters = route.getTemplateParameters();
            if (parameters != null && "{{description}}".equals(route.getDescription())) {
                Object description = parameters.get("description");
                route.setDescription(description == null || description.toString().isEmpty() ? null : description.toString());
            }
        }
    };

    /**
     * A failed batch is retried in place with exponential backoff; after the last retry the exception stays on the
     * exchange, the source fails without committing, and the pipeline shows FAILED. Nothing is skipped.
     */
    private static DefaultErrorHandlerDefinition retries() {
        DefaultErrorHandlerDefinition handler = new DefaultErrorHandlerDefinition();
        handler.setRedeliveryPolicy(new RedeliveryPolicyDefinition()
                .maximumRedeliveries("{{retries}}")
                .redeliveryDelay("{{retryDelayMs}}")
                .useExponentialBackOff().backOffMultiplier(2)
                .maximumRedeliveryDelay("{{maxRetryDelayMs}}")
                .retryAttemptedLogLevel(LoggingLevel.WARN)
                .logExhausted(true));
        return handler;
    }
}
