package sources;

import config.PipelineSpec;
import org.apache.camel.CamelContext;
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
 * @param deadLetters             the pipeline's dead letters (a queue source keeps the messages it cannot read there)
 */
public record SourceContext(CamelContext camel, PipelineSpec spec, ObjectSelector selector, boolean carriesDdl,
                            PipelineCounters counters, Path stateDir, int snapshotBatchesInFlight,
                            java.util.function.Supplier<sinks.DeadLetters> deadLetters) {
}
