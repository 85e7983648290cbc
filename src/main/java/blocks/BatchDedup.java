package blocks;

import org.apache.camel.Exchange;
import processors.dedup.Deduplicator;
import processors.dedup.IdRepository;
import processors.dedup.MemoryIdRepository;
import counters.PipelineCounters;

/**
 * Dedup of a pipeline file for hand-written routes, a batch at a time: {@code dropSeen} before the sink removes the
 * changes whose ids the repository remembers; {@code remember} after the sink records the ids it delivered. The
 * repository is any {@link IdRepository} bean ({@code processors.dedup.JdbcIdRepository}: durable, shared) or, unset,
 * one in memory for {@code windowMs}. For one change per exchange, Camel's own {@code idempotentConsumer} takes the
 * same repositories ({@code idempotentRepository}).
 * <pre>
 * - bean: {ref: dedup, method: dropSeen}
 * - to: ...
 * - bean: {ref: dedup, method: remember}
 * </pre>
 */
public class BatchDedup {

    private IdRepository repository;
    private long windowMs = 600_000;
    private volatile Deduplicator deduplicator;

    public void setRepository(IdRepository repository) {
        this.repository = repository;
        deduplicator = null;
    }

    public void setWindowMs(long windowMs) {
        this.windowMs = windowMs;
        deduplicator = null;
    }

    public IdRepository getRepository() {
        return repository;
    }

    public long getWindowMs() {
        return windowMs;
    }

    private Deduplicator deduplicator() {
        Deduplicator d = deduplicator;
        if (d == null) {
            if (repository == null) {
                repository = new MemoryIdRepository(windowMs);
            }
            d = new Deduplicator(repository, new PipelineCounters());
            deduplicator = d;
        }
        return d;
    }

    /** Drops the batch's changes already delivered. */
    public void dropSeen(Exchange exchange) throws Exception {
        deduplicator().dropSeen().process(exchange);
    }

    /** Records the changes the sink delivered (call it after the sink, in the same exchange). */
    public void remember(Exchange exchange) throws Exception {
        deduplicator().rememberDelivered().process(exchange);
    }
}
