package processors.dedup;

import org.apache.camel.spi.IdempotentRepository;

import java.util.Collection;
import java.util.Set;

/**
 * A Camel {@link IdempotentRepository} (usable in any route's idempotent consumer) that also answers and records a
 * whole batch in one round trip — one query and one insert per batch, not one per change ("batches, not records").
 */
public interface IdRepository extends IdempotentRepository {

    /** Which of these ids are remembered. */
    Set<String> seen(Collection<String> ids);

    /** Remembers these ids (none of them remembered yet). */
    void addAll(Collection<String> ids);

    /** Forgets ids older than the window. */
    void expire();

    /**
     * The id as stored: camel-sql's table holds 100 characters; a longer id (a long composite key) is stored as its
     * SHA-256, which is as unique.
     */
    static String stored(String id) {
        if (id.length() <= 100) {
            return id;
        }
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(id.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "sha256:" + java.util.HexFormat.of().formatHex(hash);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
