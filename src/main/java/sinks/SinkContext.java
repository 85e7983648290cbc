package sinks;

import config.PipelineSpec;
import formats.ChangeEventFormat;
import org.apache.camel.CamelContext;
import model.TableRouting;
import sinks.DeadLetters;
import counters.PipelineCounters;

import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * What a sink plug-in gets to build a pipeline's sink.
 *
 * @param routing     per table: topic, target table, folder and sharding columns (a pipeline's objects, or a
 *                    hand-written route's endpoint templates)
 * @param stateDir    the pipeline's own folder under {@code --data} (offsets, part state)
 * @param deadLetters the pipeline's dead-letter file, created on first call and shown by status and REST
 */
public record SinkContext(CamelContext camel, PipelineSpec spec, ChangeEventFormat format, TableRouting routing,
                          PipelineCounters counters, Path stateDir, Supplier<DeadLetters> deadLetters) {
}
