package processors.dedup;

import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;

import javax.sql.DataSource;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * camel-sql's {@link JdbcMessageIdRepository} (its table {@code CAMEL_MESSAGEPROCESSED}, created if missing, keyed by
 * processor name = the pipeline), with batch operations: one {@code IN (…)} query per 500 ids, one batched insert per
 * batch in one transaction, and expiry of rows older than the window. Durable across restarts and shareable between
 * nodes.
 */
public final class JdbcIdRepository extends JdbcMessageIdRepository implements IdRepository {

    private static final int CHUNK = 500;
    private final long windowMs;

    public JdbcIdRepository(DataSource dataSource, String processorName, long windowMs) {
        super(dataSource, processorName);
        setTableName(DEFAULT_TABLENAME); // Camel keeps null here and its default only in its own statements; ours name it
        this.windowMs = windowMs;
    }

    @Override
    public Set<String> seen(Collection<String> candidates) {
        Map<String, String> byStored = new HashMap<>();
        candidates.forEach(id -> byStored.put(IdRepository.stored(id), id));
        List<String> stored = new ArrayList<>(byStored.keySet());
        Set<String> seen = new HashSet<>();
        for (int from = 0; from < stored.size(); from += CHUNK) {
            List<String> chunk = stored.subList(from, Math.min(stored.size(), from + CHUNK));
            String sql = "SELECT messageId FROM " + getTableName() + " WHERE processorName = ? AND messageId IN ("
                    + String.join(", ", Collections.nCopies(chunk.size(), "?")) + ")";
            List<Object> args = new ArrayList<>(chunk.size() + 1);
            args.add(processorName);
            args.addAll(chunk);
            jdbcTemplate.queryForList(sql, String.class, args.toArray()).forEach(s -> seen.add(byStored.get(s)));
        }
        return seen;
    }

    @Override
    public void addAll(Collection<String> ids) {
        Timestamp now = new Timestamp(System.currentTimeMillis());
        List<Object[]> rows = new ArrayList<>(ids.size());
        new java.util.LinkedHashSet<>(ids).forEach(id -> rows.add(new Object[]{processorName, IdRepository.stored(id), now}));
        transactionTemplate.executeWithoutResult(status -> jdbcTemplate.batchUpdate(getInsertString(), rows));
    }

    @Override
    public void expire() {
        jdbcTemplate.update("DELETE FROM " + getTableName() + " WHERE processorName = ? AND createdAt < ?", processorName,
                new Timestamp(System.currentTimeMillis() - windowMs));
    }
}
