package sources;

import config.PipelineSpec;
import config.Prechecks;
import config.SourceType;
import config.SourceTypes;

/**
 * A source plug-in: its keys ({@link SourceType}), the start of a pipeline's route (the endpoint and the steps that
 * turn its batches into {@code List<ChangeEvent>}), and its prechecks. One package per source family
 * ({@code sources.postgres}, {@code sources.binlog}, ...), registered in {@code META-INF/services/config.SourceType}.
 */
public interface SourceFactory extends SourceType {

    /** The route's start; the pipeline adds selection, filters, dedup and the sink after it. */
    SourceRoute route(SourceContext context);

    /** Checks the source before the pipeline runs: reachable, configured for capture, its tables there. Changes nothing. */
    void precheck(PipelineSpec spec, Prechecks checks);

    /**
     * Releases what the source holds on its server for a deleted pipeline (a PostgreSQL replication slot, which would
     * keep WAL for ever); returns what was released, or null when there was nothing.
     */
    default String release(PipelineSpec spec) throws Exception {
        return null;
    }

    /**
     * Writes this source as the start of a hand-written Camel YAML route into {@code export} ({@code routes export}).
     *
     * @throws UnsupportedOperationException the source, or one of the pipeline's settings, cannot be written so (the
     *                                       message names the key)
     */
    default void export(SourceExport export) {
        throw new UnsupportedOperationException("source.type: '" + type() + "' cannot be exported as a route yet");
    }

    /** The plug-in of a pipeline's source type. */
    static SourceFactory of(String type) {
        SourceType plugin = SourceTypes.get(type);
        if (plugin instanceof SourceFactory factory) {
            return factory;
        }
        throw new IllegalArgumentException(plugin == null ? "no source plug-in for type '" + type + "'"
                : plugin.getClass().getName() + " does not implement " + SourceFactory.class.getName());
    }
}
