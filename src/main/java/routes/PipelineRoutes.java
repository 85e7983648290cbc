package routes;

import config.PipelineSpec;
import formats.ChangeEventFormat;
import formats.Formats;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.RouteDefinition;
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
 * One pipeline file compiled into one Camel route (routeId = pipeline name): the source plug-in's start (endpoint and
 * normalizer: one exchange per batch) → select objects → start-at, where, columns → snapshot ledger → dedup → the sink
 * plug-in's sink. Type-specific work lives in the plug-ins ({@link SourceFactory}, {@link SinkFactory}).
 * <p>
 * Error policy: a failed batch is retried in place with exponential backoff; after the last retry the exception stays
 * on the exchange, the source fails without committing, and the pipeline shows FAILED. Nothing is skipped.
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
        errorHandler(defaultErrorHandler()
                .maximumRedeliveries(policy.retries())
                .redeliveryDelay(policy.retryDelayMs())
                .useExponentialBackOff().backOffMultiplier(2)
                .maximumRedeliveryDelay(policy.maxRetryDelayMs())
                .retryAttemptedLogLevel(LoggingLevel.WARN)
                .logExhausted(true)
                .onRedelivery(e -> pipeline.counters().recordError(e.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class))));

        Path state = dataDir.resolve(spec.name()).toAbsolutePath();
        ObjectSelector selector = new ObjectSelector(spec.objects(), pipeline.counters());
        ChangeEventFormat format = Formats.create(spec.format());
        SinkFactory sink = SinkFactory.of(spec.sink().type());
        SourceRoute source = SourceFactory.of(spec.source().type()).route(new SourceContext(this, spec, selector, format.carriesDdl(),
                pipeline.counters(), state, sink.snapshotBatchesInFlight(spec), autoStart));
        RouteDefinition route = source.route();
        Deduplicator dedup = spec.dedup() == null ? null
                : new Deduplicator(Deduplicator.repository(spec.name(), spec.dedup()), pipeline.counters(), sink.recentlyDelivered(spec));
        for (PipelineSteps step : PipelineSteps.of(spec, source.snapshotLedger() != null)) {
            route.process(switch (step) {
                case SELECT -> selector;
                case START_AT -> new CommitTimeFilter(spec.startTimestamp(), pipeline.counters());
                case WHERE -> new RowFilter(selector, pipeline.counters());
                case COLUMNS -> new ColumnProjection(selector);
                case TRANSACTION_ENDS -> new TransactionEnds();
                case SNAPSHOT_LEDGER -> new SnapshotLedgerStep(source.snapshotLedger());
                case DEDUP -> dedup.dropSeen();
                case SINK -> sink.create(new SinkContext(getContext(), spec, format, selector, pipeline.counters(), state, this::deadLetters));
                case DEDUP_REMEMBER -> dedup.rememberDelivered();
            }).id(spec.name() + "-" + step.suffix);
        }
    }

    /** The pipeline's dead letters, kept beside its offsets; the runtime shows and replays them. */
    private sinks.DeadLetters deadLetters() {
        PipelineSpec spec = pipeline.spec();
        sinks.DeadLetters letters = new sinks.DeadLetters(dataDir.resolve(spec.name()).resolve("dead-letters.jsonl").toAbsolutePath(),
                pipeline.counters());
        pipeline.deadLetters(letters);
        return letters;
    }
}
