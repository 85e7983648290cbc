package sources;

import config.PipelineSpec;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.RouteDefinition;
import processors.ObjectSelector;
import counters.PipelineCounters;

import java.nio.file.Path;

/**
 * What a source plug-in gets to start a pipeline's route.
 *
 * @param selector                the pipeline's objects (sharding columns for the snapshot ledger, renames)
 * @param carriesDdl              the format writes DDL messages (a source that reads DDL passes them on)
 * @param stateDir                the pipeline's own folder under {@code --data} (offsets, schema history)
 * @param snapshotBatchesInFlight snapshot batches the sink takes at once
 */
public record SourceContext(RouteBuilder routes, PipelineSpec spec, ObjectSelector selector, boolean carriesDdl,
                            PipelineCounters counters, Path stateDir, int snapshotBatchesInFlight, boolean autoStart) {

    public CamelContext camel() {
        return routes.getContext();
    }

    /** The pipeline's route from a source URI: routeId = the pipeline's name. */
    public RouteDefinition from(String uri) {
        return named(routes.from(uri));
    }

    public RouteDefinition from(Endpoint endpoint) {
        return named(routes.from(endpoint));
    }

    private RouteDefinition named(RouteDefinition route) {
        return route.routeId(spec.name())
                .routeDescription("pipeline " + spec.name() + ": " + spec.source().type() + " → " + spec.sink().type())
                .autoStartup(autoStart);
    }
}
