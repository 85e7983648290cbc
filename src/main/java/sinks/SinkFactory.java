package sinks;

import config.PipelineSpec;
import config.Prechecks;
import config.SinkType;
import config.SinkTypes;

import java.util.Set;
import java.util.function.Supplier;

/**
 * A sink plug-in: its keys ({@link SinkType}), the sink it builds for a pipeline, and the checks it runs before one
 * starts. One package per sink type ({@code sinks.kafka}, {@code sinks.jdbc}, ...), registered in
 * {@code META-INF/services/config.SinkType}; nothing outside that package names the type.
 */
public interface SinkFactory extends SinkType {

    /** The sink of one pipeline; Camel starts and stops it with the pipeline's route. */
    BatchSink create(SinkContext context);

    /** Checks the target before the pipeline runs: reachable, writable, its topics or tables there. Changes nothing. */
    void precheck(PipelineSpec spec, Prechecks checks);

    /**
     * Snapshot batches this sink takes at once (each still acknowledged before its offsets move). More than one only
     * where the sink is safe for concurrent batches.
     */
    default int snapshotBatchesInFlight(PipelineSpec spec) {
        return 1;
    }

    /**
     * The ids of the newest changes already in the target, read once at start, so that dedup drops the batch that was
     * in flight at a crash; null when the target cannot tell (dedup then knows only its own repository).
     */
    default Supplier<Set<String>> recentlyDelivered(PipelineSpec spec) {
        return null;
    }

    /** The plug-in of a pipeline's sink type. */
    static SinkFactory of(String type) {
        SinkType plugin = SinkTypes.get(type);
        if (plugin instanceof SinkFactory factory) {
            return factory;
        }
        throw new IllegalArgumentException(plugin == null ? "no sink plug-in for type '" + type + "'"
                : plugin.getClass().getName() + " does not implement " + SinkFactory.class.getName());
    }
}
