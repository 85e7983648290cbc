package blocks;

import org.apache.camel.Exchange;
import processors.dedup.Deduplicator;
import processors.dedup.IdRepository;
import processors.dedup.MemoryIdRepository;

/**
 * Dedup of a pipeline file for hand-written routes, a batch at a time: {@code dropSeen} before the sink removes the
 * changes whose ids the repository remembers; {@code remember} after the sink records the ids it delivered. The
 * repository is any {@link IdRepository} bean, or one in the database {@code url} ({@code user}, {@code password},
 * {@code name}: durable, shared), or, unset, one in memory for {@code windowMs}. For one change per exchange, Camel's own {@code idempotentConsumer} takes the
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
    private String url;
    private String user;
    private String password;
    private String name;
    private volatile Deduplicator deduplicator;

    public void setRepository(IdRepository repository) {
        this.repository = repository;
        deduplicator = null;
    }

    public void setWindowMs(long windowMs) {
        this.windowMs = windowMs;
        deduplicator = null;
    }

    public String getUrl() {
        return url;
    }

    /** A JDBC repository (durable, shareable) in this database, when no {@code repository} bean is given. */
    public void setUrl(String url) {
        this.url = url;
        deduplicator = null;
    }

    public String getUser() {
        return user;
    }

    public void setUser(String user) {
        this.user = user;
        deduplicator = null;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
        deduplicator = null;
    }

    public String getName() {
        return name;
    }

    /** The JDBC repository's processor name: the ids of one pipeline (or route) apart from others'. */
    public void setName(String name) {
        this.name = name;
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
                repository = url == null ? new MemoryIdRepository(windowMs)
                        : new processors.dedup.JdbcIdRepository(new org.springframework.jdbc.datasource.DriverManagerDataSource(url, user, password),
                        name == null ? "tributary" : name, windowMs);
            }
            d = new Deduplicator(repository);
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
