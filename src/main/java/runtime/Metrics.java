package runtime;

import counters.PipelineCounters;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

/**
 * Per-pipeline meters in Prometheus text (GET /metrics; docs/rest-api.md, "Metrics"): changes by fate, errors, lag,
 * state, batch sizes and sink latency — all tagged {@code pipeline}. Read from the pipeline's own counters, so the
 * numbers are the status document's.
 */
public final class Metrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    public Metrics() {
        // the JVM's own meters (jvm_memory_used_bytes, jvm_gc_pause_seconds, process_cpu_usage, …), as every JVM service has
        new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.jvm.JvmGcMetrics().bindTo(registry); // lives as long as the registry
        new io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.system.ProcessorMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.system.UptimeMetrics().bindTo(registry);
    }

    /** Cluster mode: this node's name; its pipelines then carry {@code tributary_pipeline_owner}. Null on a single node. */
    private volatile String node;

    public void node(String node) {
        this.node = node;
    }

    public void register(PipelineRuntime p) {
        Tags tags = Tags.of("pipeline", p.name());
        PipelineCounters c = p.counters();
        if (node != null) {
            Gauge.builder("tributary_pipeline_owner", p, x -> x.owned() ? 1 : 0).tags(tags.and("node", node))
                    .description("1 while this node owns the pipeline (cluster mode), else 0").register(registry);
        }
        events(tags, "in", c.eventsIn);
        events(tags, "out", c.eventsOut);
        events(tags, "filtered", c.eventsFiltered);
        events(tags, "deduplicated", c.eventsDeduplicated);
        events(tags, "dead_lettered", c.deadLettered);
        FunctionCounter.builder("tributary_errors", c.errors, AtomicLong::get).tags(tags)
                .description("failed batch attempts (each retry counts)").register(registry);
        Gauge.builder("tributary_lag_seconds", c, lag()).tags(tags)
                .description("now minus the commit time of the last delivered change").register(registry);
        for (PipelineState state : PipelineState.values()) {
            Gauge.builder("tributary_pipeline_state", p, x -> x.state() == state ? 1 : 0).tags(tags.and("state", state.name()))
                    .description("1 for the pipeline's current state").register(registry);
        }
        c.bindMeters(DistributionSummary.builder("tributary_batch_size").tags(tags).description("changes per delivered batch")
                        .publishPercentiles(0.5, 0.99).register(registry),
                Timer.builder("tributary_sink_latency").tags(tags).description("time the sink took to deliver a batch")
                        .publishPercentiles(0.5, 0.99).register(registry),
                Timer.builder("tributary_delivery_latency").tags(tags)
                        .description("per streamed change: source commit to the sink's acknowledgement (same clock only if source and Tributary share one)")
                        .publishPercentiles(0.5, 0.99).register(registry));
    }

    /** Removes a deleted (or replaced) pipeline's meters. */
    public void unregister(String pipeline) {
        for (Meter m : registry.getMeters()) {
            if (pipeline.equals(m.getId().getTag("pipeline"))) {
                registry.remove(m);
            }
        }
    }

    public String scrape() {
        return registry.scrape();
    }

    private void events(Tags tags, String fate, AtomicLong counter) {
        FunctionCounter.builder("tributary_events", counter, AtomicLong::get).tags(tags.and("fate", fate))
                .description("changes by fate: in (read), out (delivered), filtered, deduplicated, dead_lettered").register(registry);
    }

    private static ToDoubleFunction<PipelineCounters> lag() {
        return c -> {
            Instant commit = c.lastCommitTs();
            return commit == null ? Double.NaN : Duration.between(commit, Instant.now()).toMillis() / 1000.0;
        };
    }
}
