package runtime;

import config.PipelineConfigException;
import config.PipelineLoader;
import config.PipelineSpec;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Pipelines created, changed and removed while the application runs (REST; docs/rest-api.md). A pipeline created
 * here is saved as {@code <pipelines>/<name>.yaml} — written to a temporary file and renamed, so a crash leaves the old
 * file or the new one, never half — and so survives a restart. One operation at a time: calls are serialized.
 */
public final class PipelineManager {

    /** A request the current state refuses (the REST layer answers 409). */
    public static final class Conflict extends RuntimeException {
        public Conflict(String message) {
            super(message);
        }
    }

    private final PipelineRegistry registry;
    private final Supplier<CamelContext> context;
    private final Path pipelinesDir;
    private final PipelineLoader loader = new PipelineLoader();
    private final Metrics metrics;
    /**
     * A pipeline's route, started at once or not (the boolean); the route assembly lives above this package:
     * {@code routes.PipelineRoutes}.
     */
    private final java.util.function.BiFunction<PipelineRuntime, Boolean, org.apache.camel.RoutesBuilder> routes;

    /** Cluster mode: definitions in the shared state database; null on a single node (the pipelines folder). */
    private volatile SharedDefinitions shared;

    public void shared(SharedDefinitions shared) {
        this.shared = shared;
    }

    public SharedDefinitions shared() {
        return shared;
    }

    public PipelineManager(PipelineRegistry registry, Supplier<CamelContext> context, Path pipelinesDir, Metrics metrics,
                           java.util.function.BiFunction<PipelineRuntime, Boolean, org.apache.camel.RoutesBuilder> routes) {
        this.metrics = metrics;
        this.routes = routes;
        this.registry = registry;
        this.context = context;
        this.pipelinesDir = pipelinesDir;
    }

    /** Validates a pipeline document (YAML or JSON); throws {@link PipelineConfigException} with every error. */
    public PipelineSpec parse(String text) {
        return loader.parse("(request)", text);
    }

    /** Creates, saves and starts a pipeline. */
    public synchronized PipelineRuntime create(String text) throws Exception {
        return create(text, true);
    }

    /**
     * Creates and saves a pipeline; with {@code start} false its route is added stopped, to be prechecked and started
     * later (a restart of Tributary starts it, as every pipeline file).
     */
    public synchronized PipelineRuntime create(String text, boolean start) throws Exception {
        PipelineSpec spec = parse(text);
        if (registry.get(spec.name()).isPresent()) {
            throw new Conflict("pipeline '" + spec.name() + "' exists: change it with PUT /api/pipelines/" + spec.name());
        }
        if (shared != null) { // the owner the cluster chooses starts it
            PipelineRuntime loaded = run(spec, false);
            try {
                shared.create(spec.name(), text);
                if (!start) {
                    shared.stopped(spec.name(), true);
                }
            } catch (Exception e) {
                remove(loaded);
                throw e;
            }
            return loaded;
        }
        PipelineRuntime created = run(spec, start);
        save(spec.name(), text); // only a pipeline whose route started is kept: a restart would fail on it again
        return created;
    }

    /** Replaces a pipeline's definition; it restarts from its saved offset (same name, same data directory). */
    public synchronized PipelineRuntime update(String name, String text) throws Exception {
        PipelineSpec spec = parse(text);
        if (!spec.name().equals(name)) {
            throw new Conflict("the document names pipeline '" + spec.name() + "', the path '" + name + "': a pipeline cannot be renamed");
        }
        PipelineRuntime old = pipeline(name);
        if (shared != null) { // every node loads the new definition; the owner restarts it
            shared.update(name, text);
            return old;
        }
        remove(old);
        PipelineRuntime replaced;
        try {
            replaced = run(spec, true);
        } catch (PipelineConfigException refused) {
            run(old.spec(), true); // the old definition goes on, from its saved offset
            throw refused;
        }
        Optional<Path> file = fileOf(name);
        if (file.isPresent() && !file.get().getFileName().toString().equals(name + ".yaml")) {
            Files.delete(file.get()); // loaded from a file of another name: the saved definition is now <name>.yaml
        }
        save(name, text);
        return replaced;
    }

    /** Stops and removes a pipeline and its file; its data directory (offsets) stays, so a re-creation resumes. */
    public synchronized PipelineSpec delete(String name) throws Exception {
        PipelineRuntime pipeline = pipeline(name);
        if (shared != null) {
            shared.delete(name);
        }
        remove(pipeline);
        Optional<Path> file = fileOf(name);
        if (file.isPresent()) {
            Files.delete(file.get());
        }
        return pipeline.spec();
    }

    /** Starts a stopped, failed or finished pipeline from its saved offset (a running one is left as it is). */
    public synchronized PipelineRuntime start(String name) throws Exception {
        PipelineRuntime p = pipeline(name);
        if (shared != null) {
            shared.stopped(name, false);
            if (shared.remoteOwner(name).isPresent() || !p.owned()) {
                return p; // the owner (another node, or the next to claim it) starts it
            }
        }
        p.start();
        return p;
    }

    public synchronized PipelineRuntime stop(String name) throws Exception {
        PipelineRuntime p = pipeline(name);
        if (shared != null) {
            shared.stopped(name, true);
        }
        p.stop();
        return p;
    }

    private PipelineRuntime pipeline(String name) {
        return registry.get(name).orElseThrow(() -> new java.util.NoSuchElementException("no pipeline named '" + name + "'"));
    }

    public synchronized void pause(String name) throws Exception {
        PipelineRuntime p = pipeline(name);
        if (p.state() != PipelineState.RUNNING && p.state() != PipelineState.INIT) {
            throw new Conflict("pipeline '" + name + "' is " + p.state() + ": only a running pipeline can be paused");
        }
        p.pause();
    }

    public synchronized void resume(String name) throws Exception {
        PipelineRuntime p = pipeline(name);
        if (p.state() != PipelineState.PAUSED) {
            throw new Conflict("pipeline '" + name + "' is " + p.state() + ": only a paused pipeline can be resumed");
        }
        p.resume();
    }

    /**
     * Registers and starts a pipeline's route. A route that cannot even be built or started (an option value the
     * component refuses, e.g. a Kafka producer setting of the wrong type) leaves nothing behind and is answered as
     * invalid input naming the key, not as a server error.
     */
    private PipelineRuntime run(PipelineSpec spec, boolean start) throws Exception {
        PipelineRuntime pipeline = new PipelineRuntime(spec, context);
        registry.add(pipeline);
        metrics.register(pipeline);
        try {
            RoutesBuilder builder = routes.apply(pipeline, start);
            context.get().addRoutes(builder);
            context.get().addTemplatedRoutes(builder); // a pipeline's route is an instance of the pipeline template
        } catch (Exception e) {
            CamelContext camel = context.get();
            if (camel.getRoute(spec.name()) != null) {
                camel.getRouteController().stopRoute(spec.name());
                camel.removeRoute(spec.name());
            }
            registry.remove(spec.name());
            metrics.unregister(spec.name());
            throw new PipelineConfigException(List.of("(request): " + keyOf(e, spec) + ": cannot start: " + spec.masked(rootMessage(e))));
        }
        return pipeline;
    }

    /** The pipeline key a start failure points at: a Kafka client setting is {@code sink.options}; else the sink or source. */
    private static String keyOf(Throwable e, PipelineSpec spec) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.apache.kafka.common.config.ConfigException) {
                return spec.sink().options().isEmpty() ? "sink" : "sink.options";
            }
            if (t instanceof org.apache.camel.ResolveEndpointFailedException r) {
                return r.getUri() != null && r.getUri().startsWith("cdc:") ? "source.options" : "sink.options";
            }
        }
        return "sink";
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }

    /** Cluster mode: builds the route of a pipeline this node now owns, stopped (the caller starts it). */
    public synchronized PipelineRuntime load(PipelineSpec spec) throws Exception {
        return run(spec, false);
    }

    /**
     * Cluster mode: a pipeline another node runs, known here without a route (its status, counters and metrics exist;
     * no source, no sink, no connection is opened until this node owns it and {@link #load} builds the route).
     */
    public synchronized PipelineRuntime standBy(PipelineSpec spec) {
        PipelineRuntime pipeline = new PipelineRuntime(spec, context);
        registry.add(pipeline);
        metrics.register(pipeline);
        return pipeline;
    }

    /** Cluster mode: removes a pipeline's route from this node (its definition changed or was deleted). */
    public synchronized void unload(String name) throws Exception {
        Optional<PipelineRuntime> p = registry.get(name);
        if (p.isPresent()) {
            remove(p.get());
        }
    }

    private void remove(PipelineRuntime pipeline) throws Exception {
        CamelContext camel = context.get();
        if (camel.getRoute(pipeline.name()) != null) { // a cluster's stand-by pipeline has none
            camel.getRouteController().stopRoute(pipeline.name());
            camel.removeRoute(pipeline.name());
        }
        registry.remove(pipeline.name());
        metrics.unregister(pipeline.name());
    }

    private void save(String name, String text) throws IOException {
        Files.createDirectories(pipelinesDir);
        Path temp = pipelinesDir.resolve("." + name + ".yaml.tmp"); // not a pipeline file: the loader skips it
        Files.writeString(temp, text);
        try {
            Files.move(temp, pipelinesDir.resolve(name + ".yaml"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, pipelinesDir.resolve(name + ".yaml"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The file in the pipelines directory that defines this pipeline. */
    private Optional<Path> fileOf(String name) throws IOException {
        return config.PipelineFiles.fileOf(loader, pipelinesDir, name);
    }
}
