package runtime;

import sinks.DeadLetters;
import counters.PipelineCounters;
import config.PipelineSpec;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import sources.SourceConsumer;
import sources.EngineStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One loaded pipeline: its spec, its counters, and its state read from the real route and Debezium engine — never a
 * flag kept beside them. Start/stop go through Camel's route controller.
 */
public final class PipelineRuntime {

    private final PipelineSpec spec;
    private final PipelineCounters counters = new PipelineCounters();
    private final Supplier<CamelContext> contextSupplier;
    /** Paused by an operator (the route is suspended or stopped until resumed). */
    private volatile boolean paused;

    /** @param context the context the pipeline's route runs in (created after the pipeline is loaded) */
    public PipelineRuntime(PipelineSpec spec, Supplier<CamelContext> context) {
        this.spec = spec;
        this.contextSupplier = context;
    }

    public PipelineSpec spec() {
        return spec;
    }

    private volatile DeadLetters deadLetters;

    /** Cluster mode: this node's ownership of the pipeline (node, epoch, since), or null while another node (or none) owns it. */
    private volatile Map<String, Object> ownership;
    /** Cluster mode: the node the cluster assigns the pipeline to. */
    private volatile String assignedNode;

    public void ownership(String node, long epoch, Instant since) {
        this.ownership = node == null ? null : Map.of("node", node, "epoch", epoch, "since", since.toString());
    }

    public boolean owned() {
        return ownership != null;
    }

    public void assignedNode(String node) {
        this.assignedNode = node;
    }

    /** The dead letters of the pipeline's sink, or null when its sink keeps none here (JDBC keeps them in the target). */
    public DeadLetters deadLetters() {
        return deadLetters;
    }

    public void deadLetters(DeadLetters letters) {
        this.deadLetters = letters;
    }

    public PipelineCounters counters() {
        return counters;
    }

    public String name() {
        return spec.name();
    }

    public EngineStatus engine() {
        Route route = contextSupplier.get().getRoute(spec.name());
        return route != null && route.getConsumer() instanceof SourceConsumer c ? c.status() : null;
    }

    public PipelineState state() {
        ServiceStatus route = contextSupplier.get().getRouteController().getRouteStatus(spec.name());
        EngineStatus engine = engine();
        if (route == null) {
            return PipelineState.INIT;
        }
        if (engine != null && engine.state() == EngineStatus.State.COMPLETED && engine.snapshotCommitted()
                && spec.mode() == PipelineSpec.Mode.FULL) {
            return PipelineState.SUCCESS;
        }
        if (paused && !route.isStarted()) {
            return PipelineState.PAUSED;
        }
        if (route.isStopped() || route.isStopping()) {
            return PipelineState.STOPPED;
        }
        if (engine == null) {
            return PipelineState.INIT;
        }
        return switch (engine.state()) {
            case STARTING -> PipelineState.INIT;
            case RUNNING -> PipelineState.RUNNING;
            case FAILED -> PipelineState.FAILED;
            case COMPLETED -> PipelineState.STOPPED;
        };
    }

    /** Starts the route; a route whose engine ended (failed or completed) is restarted and resumes from its offset. */
    public synchronized void start() throws Exception {
        paused = false;
        ServiceStatus route = contextSupplier.get().getRouteController().getRouteStatus(spec.name());
        if (route != null && route.isStarted()) {
            EngineStatus engine = engine();
            if (engine != null && (engine.state() == EngineStatus.State.STARTING || engine.state() == EngineStatus.State.RUNNING)) {
                return;
            }
            contextSupplier.get().getRouteController().stopRoute(spec.name());
        }
        contextSupplier.get().getRouteController().startRoute(spec.name());
    }

    /**
     * Suspends the route: the batch in flight completes and its offsets are committed, the next batch waits. A CDC
     * source stays connected, so {@link #resume()} hands that batch over at once; other sources are stopped and start
     * again from their offsets.
     */
    public synchronized void pause() throws Exception {
        paused = true;
        contextSupplier.get().getRouteController().suspendRoute(spec.name());
    }

    public synchronized void resume() throws Exception {
        paused = false;
        ServiceStatus route = contextSupplier.get().getRouteController().getRouteStatus(spec.name());
        if (route != null && route.isSuspended()) {
            contextSupplier.get().getRouteController().resumeRoute(spec.name());
        } else {
            contextSupplier.get().getRouteController().startRoute(spec.name());
        }
    }

    public synchronized void stop() throws Exception {
        paused = false;
        if (contextSupplier.get().getRoute(spec.name()) != null) { // a cluster's stand-by pipeline has no route to stop
            contextSupplier.get().getRouteController().stopRoute(spec.name());
        }
    }

    /** The status document of the REST API. Never carries a secret. */
    public Map<String, Object> status() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("name", spec.name());
        s.put("state", state().name());
        s.put("mode", spec.mode().key);
        s.put("labels", spec.labels());
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("type", spec.source().type());
        source.putAll(spec.source().config().describe());
        s.put("source", source);
        Map<String, Object> sink = new LinkedHashMap<>();
        sink.put("type", spec.sink().type());
        sink.putAll(spec.sink().config().describe());
        sink.put("waitingSeconds", counters.deliveringSeconds());
        s.put("sink", sink);
        if (ownership != null || assignedNode != null) {
            Map<String, Object> cluster = new LinkedHashMap<>();
            cluster.put("assignedNode", assignedNode);
            cluster.put("owner", ownership);
            s.put("cluster", cluster);
        }
        s.put("format", spec.format().type());
        s.put("objects", spec.objects().stream().map(o -> Map.of("table", o.schema() + "." + o.table(), "topic", o.topic())).toList());
        Map<String, Object> events = new LinkedHashMap<>();
        events.put("in", counters.eventsIn.get());
        events.put("out", counters.eventsOut.get());
        events.put("filtered", counters.eventsFiltered.get());
        events.put("deduplicated", counters.eventsDeduplicated.get());
        events.put("deadLettered", counters.deadLettered.get());
        s.put("events", events);
        Map<String, Object> errors = new LinkedHashMap<>();
        errors.put("count", counters.errors.get());
        errors.put("last", spec.masked(counters.lastError())); // a driver's message may quote a URL with its password
        errors.put("at", text(counters.lastErrorAt()));
        errors.put("recent", counters.recentErrors().stream()
                .map(r -> Map.of("at", r.get("at"), "error", spec.masked(r.get("error")))).toList());
        s.put("errors", errors);
        if (!counters.notices().isEmpty()) {
            s.put("notices", counters.notices());
        }
        EngineStatus engine = engine();
        if (engine != null) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("state", engine.state().name());
            e.put("since", text(engine.since()));
            e.put("error", spec.masked(engine.error()));
            e.put("batchesCommitted", engine.batchesCommitted());
            e.put("changesCommitted", engine.recordsCommitted());
            e.put("largestBatch", engine.largestBatch());
            Route route = contextSupplier.get().getRoute(spec.name());
            if (route != null && route.getConsumer() instanceof SourceConsumer c) {
                Map<String, Object> snapshot = c.snapshotProgress();
                if (!snapshot.isEmpty()) {
                    s.put("snapshot", snapshot);
                }
            }
            s.put("engine", e);
            s.put("position", engine.committedOffset());
        }
        Instant commit = counters.lastCommitTs();
        s.put("lastCommitTs", text(commit));
        s.put("lagSeconds", commit == null ? null : Duration.between(commit, Instant.now()).toMillis() / 1000.0);
        return s;
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }
}
