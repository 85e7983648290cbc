package routes;

import config.PipelineSpec;
import formats.ChangeEventFormat;
import formats.Formats;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.TemplatedRouteDefinition;
import processors.ColumnProjection;
import processors.CommitTimeFilter;
import processors.ObjectSelector;
import processors.RowFilter;
import processors.TransactionEnds;
import processors.dedup.Deduplicator;
import runtime.PipelineRuntime;
import sinks.SinkContext;
import sinks.SinkFactory;
import snapshots.SnapshotLedgerStep;
import sources.SourceContext;
import sources.SourceFactory;
import sources.SourceRoute;

import java.nio.file.Path;

/**
 * One pipeline file bound to the pipeline template ({@link PipelineTemplate}) as one Camel route (routeId = pipeline
 * name): the source plug-in's endpoint and steps ({@link SourceFactory}), a processor bean for each step the pipeline
 * takes ({@link PipelineSteps}), the sink plug-in's sink ({@link SinkFactory}) and its {@code errors:} values. The beans
 * are the route's own (template-local); node ids are {@code PIPELINE-step}.
 */
public class PipelineRoutes extends RouteBuilder {

    private final PipelineRuntime pipeline;
    private final Path dataDir;
    private final boolean autoStart;

    public PipelineRoutes(PipelineRuntime pipeline, Path dataDir, boolean autoStart) {
        this.pipeline = pipeline;
        this.dataDir = dataDir;
        this.autoStart = autoStart;
    }

    @Override
    public void configure() {
        PipelineSpec spec = pipeline.spec();
        PipelineSpec.ErrorPolicy policy = spec.errors();
        Path state = dataDir.resolve(spec.name()).toAbsolutePath();
        ObjectSelector selector = new ObjectSelector(spec.objects());
        ChangeEventFormat format = Formats.create(spec.format());
        SinkFactory sink = SinkFactory.of(spec.sink().type());
        SourceRoute source = SourceFactory.of(spec.source().type()).route(new SourceContext(getContext(), spec, selector,
                format.carriesDdl(), pipeline.counters(), state, sink.snapshotBatchesInFlight(spec), this::deadLetters));
        TemplatedRouteDefinition route = templatedRoute(PipelineTemplate.ID)
                .routeId(spec.name())
                .parameter("stepIdPrefix", spec.name() + "-")
                .parameter("source", source.uri())
                .parameter("description", "pipeline " + spec.name() + ": " + spec.source().type() + " → " + spec.sink().type())
                .parameter("autoStartup", String.valueOf(autoStart))
                .parameter("retries", String.valueOf(policy.retries()))
                .parameter("retryDelayMs", String.valueOf(policy.retryDelayMs()))
                .parameter("maxRetryDelayMs", String.valueOf(policy.maxRetryDelayMs()));
        bind(route, "normalize", source.normalize());
        if (source.renames() != null) {
            bind(route, "renames", source.renames());
        }
        Deduplicator dedup = spec.dedup() == null ? null
                : new Deduplicator(Deduplicator.repository(spec.name(), spec.dedup()), sink.recentlyDelivered(spec));
        for (PipelineSteps step : PipelineSteps.of(spec, source.snapshotLedger() != null)) {
            bind(route, step.suffix, switch (step) {
                case SELECT -> selector;
                case START_AT -> new CommitTimeFilter(spec.startTimestamp());
                case WHERE -> new RowFilter(selector);
                case COLUMNS -> new ColumnProjection(selector);
                case TRANSACTION_ENDS -> new TransactionEnds(spec.format().wholeTransactions());
                case SNAPSHOT_LEDGER -> new SnapshotLedgerStep(source.snapshotLedger());
                case DEDUP -> dedup.dropSeen();
                case SINK -> sink.create(new SinkContext(getContext(), spec, format, selector, pipeline.counters(), state, this::deadLetters)).fencedBy(state);
                case DEDUP_REMEMBER -> dedup.rememberDelivered();
            });
        }
    }

    /** A step's processor as the route's own bean (template-local), named by the template parameter. */
    private static void bind(TemplatedRouteDefinition route, String parameter, Processor processor) {
        route.bean(parameter + "-step", processor).parameter(parameter, parameter + "-step");
    }

    private sinks.DeadLetters deadLetters;

    /** The pipeline's dead letters, kept beside its offsets (one for its source and its sink); the runtime shows and replays them. */
    private synchronized sinks.DeadLetters deadLetters() {
        if (deadLetters == null) {
            PipelineSpec spec = pipeline.spec();
            deadLetters = new sinks.DeadLetters(dataDir.resolve(spec.name()).resolve("dead-letters.jsonl").toAbsolutePath(),
                    pipeline.counters());
            pipeline.deadLetters(deadLetters);
        }
        return deadLetters;
    }
}
