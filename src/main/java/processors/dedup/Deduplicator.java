package processors.dedup;

import counters.BatchTally;
import config.PipelineSpec.Dedup;
import model.ChangeEvent;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The "dedup" box of docs/design.md, "The route", in two steps around the sink (docs/processing.md, "Dedup"):
 * {@link #dropSeen()} before it removes the changes whose id ({@link ChangeEvent#id()}: source position + key, the
 * same when a source re-delivers a change) the repository remembers; {@link #rememberDelivered()} after it records the
 * ids of what the sink acknowledged — before the exchange completes, so before the source commits the batch's offsets.
 * An id is never remembered for a change that was not delivered, so dedup cannot lose a change; a change is repeated
 * only if the process dies after the sink's acknowledgement and before the ids are recorded.
 */
public final class Deduplicator {

    private static final String DELIVERED = "tributary.dedup.ids";
    private static final long EXPIRE_EVERY_MS = 60_000;

    private final IdRepository repository;
    private volatile long lastExpiry = System.currentTimeMillis();
    /** Ids the sink holds that the last run may not have recorded (read once, before the first batch); may be null. */
    private final java.util.function.Supplier<Set<String>> delivered;
    private volatile boolean recovered;

    public Deduplicator(IdRepository repository) {
        this(repository, null);
    }

    /**
     * @param delivered the ids of the changes the sink holds from the end of the last run (the Kafka sink reads them from
     *                  its topics' newest records): recorded before the first batch, so the one batch a crash left
     *                  delivered but unrecorded is not repeated either
     */
    public Deduplicator(IdRepository repository, java.util.function.Supplier<Set<String>> delivered) {
        this.repository = repository;
        this.delivered = delivered;
    }

    private void recover() {
        if (recovered || delivered == null) {
            return;
        }
        Set<String> ids = delivered.get();
        if (!ids.isEmpty()) {
            List<String> unrecorded = new ArrayList<>(ids);
            unrecorded.removeAll(repository.seen(ids));
            if (!unrecorded.isEmpty()) {
                repository.addAll(unrecorded);
                org.slf4j.LoggerFactory.getLogger(Deduplicator.class).info(
                        "dedup: {} changes the last run delivered without recording them found at the sink; their re-delivery will be dropped",
                        unrecorded.size());
            }
        }
        recovered = true;
    }

    /** The repository a pipeline's {@code dedup} names. */
    public static IdRepository repository(String pipeline, Dedup dedup) {
        if ("jdbc".equals(dedup.repository())) {
            return new JdbcIdRepository(new DriverManagerDataSource(dedup.url(), dedup.user(), dedup.password()), pipeline, dedup.windowMs());
        }
        return new MemoryIdRepository(dedup.windowMs());
    }

    public IdRepository repository() {
        return repository;
    }

    public Processor dropSeen() {
        return exchange -> {
            // started here, not with the route: a database that is away fails (and retries) the batch, not the application
            repository.start();
            recover();
            @SuppressWarnings("unchecked")
            List<ChangeEvent> events = exchange.getIn().getMandatoryBody(List.class);
            List<String> ids = new ArrayList<>(events.size());
            for (ChangeEvent e : events) {
                ids.add(e.id());
            }
            Set<String> seen = ids.isEmpty() ? Set.of() : repository.seen(ids);
            List<ChangeEvent> fresh = new ArrayList<>(events.size());
            List<String> freshIds = new ArrayList<>(events.size());
            for (int i = 0; i < events.size(); i++) {
                if (!seen.contains(ids.get(i))) {
                    fresh.add(events.get(i));
                    freshIds.add(ids.get(i));
                }
            }
            BatchTally.of(exchange).deduplicated(events.size() - fresh.size());
            exchange.setProperty(DELIVERED, freshIds);
            exchange.getIn().setBody(fresh);
        };
    }

    public Processor rememberDelivered() {
        return this::remember;
    }

    private void remember(Exchange exchange) {
        @SuppressWarnings("unchecked")
        List<String> ids = exchange.getProperty(DELIVERED, List.class);
        if (ids != null && !ids.isEmpty()) {
            repository.addAll(ids);
        }
        long now = System.currentTimeMillis();
        if (now - lastExpiry > EXPIRE_EVERY_MS) {
            lastExpiry = now;
            repository.expire();
        }
    }
}
