package sources;

import config.PipelineSpec;
import counters.BatchTally;
import counters.PipelineCounters;
import org.apache.camel.Endpoint;
import sinks.DeadLetters;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/** What the two queue source plug-ins (Kafka, RocketMQ) and their endpoints share around {@link QueueSourceConsumer}. */
public final class QueueSources {

    private QueueSources() {
    }

    /** A topic has no end: mode full is refused; {@code unit} names where a new group starts (partition, queue). */
    public static String refusesMode(PipelineSpec.Mode mode, String unit) {
        return mode == PipelineSpec.Mode.FULL ? "a topic has no end to stop at: use incremental (a new group starts at the end of each "
                + unit + ") or full-and-incremental (at the beginning)" : null;
    }

    /**
     * A pipeline's route start: its endpoint, built on the pipeline's dead letters (taken at once, so status shows those
     * of earlier runs), registered under its URI; the endpoint emits canonical batches, the step only counts them in.
     */
    public static SourceRoute route(SourceContext c, Function<Supplier<DeadLetters>, Endpoint> endpointOf) {
        DeadLetters letters = c.deadLetters().get();
        Endpoint endpoint = endpointOf.apply(() -> letters);
        try {
            c.camel().addEndpoint(endpoint.getEndpointUri(), endpoint); // replaces the one of a deleted pipeline of that name
        } catch (Exception e) {
            throw new IllegalStateException(endpoint.getEndpointUri() + ": cannot register the source endpoint", e);
        }
        return new SourceRoute(endpoint.getEndpointUri(),
                exchange -> BatchTally.of(exchange).read(exchange.getIn().getBody(List.class).size()), null, null);
    }

    /** A hand-written route's endpoint: its dead letters in {@code <stateDir>/<name>/dead-letters.jsonl}. */
    public static Supplier<DeadLetters> deadLetters(String stateDir, String name) {
        DeadLetters kept = new DeadLetters(Path.of(stateDir).resolve(name).resolve("dead-letters.jsonl").toAbsolutePath(), new PipelineCounters());
        return () -> kept;
    }
}
