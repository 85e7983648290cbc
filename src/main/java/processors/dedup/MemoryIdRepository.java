package processors.dedup;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.apache.camel.support.service.ServiceSupport;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * Ids remembered in this process for the window (Caffeine, as camel-caffeine's repository, plus expiry and a size
 * bound of 10 million ids). Lost on restart: it removes duplicates a source re-delivers while running (a retried
 * batch), not those after a crash — use {@link JdbcIdRepository} for those.
 */
public final class MemoryIdRepository extends ServiceSupport implements IdRepository {

    private final Cache<String, Boolean> ids;

    public MemoryIdRepository(long windowMs) {
        ids = Caffeine.newBuilder().expireAfterWrite(Duration.ofMillis(windowMs)).maximumSize(10_000_000).build();
    }

    @Override
    public Set<String> seen(Collection<String> candidates) {
        Set<String> seen = new HashSet<>();
        for (String id : candidates) {
            if (ids.getIfPresent(IdRepository.stored(id)) != null) {
                seen.add(id);
            }
        }
        return seen;
    }

    @Override
    public void addAll(Collection<String> added) {
        added.forEach(id -> ids.put(IdRepository.stored(id), Boolean.TRUE));
    }

    @Override
    public void expire() {
        ids.cleanUp();
    }

    @Override
    public boolean add(String key) {
        return ids.asMap().putIfAbsent(IdRepository.stored(key), Boolean.TRUE) == null;
    }

    @Override
    public boolean contains(String key) {
        return ids.getIfPresent(IdRepository.stored(key)) != null;
    }

    @Override
    public boolean remove(String key) {
        return ids.asMap().remove(IdRepository.stored(key)) != null;
    }

    @Override
    public boolean confirm(String key) {
        return true;
    }

    @Override
    public void clear() {
        ids.invalidateAll();
    }
}
