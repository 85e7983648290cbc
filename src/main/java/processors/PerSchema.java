package processors;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Function;

import org.apache.kafka.connect.data.Schema;

/**
 * What was worked out once for a Kafka Connect schema (its fields, converters, key columns), found by the schema's
 * identity. A run of changes to one table brings the same schema instance again and again, so the last one is
 * compared first: an identity map's look-up hashes the schema's identity per change, which was 5% of the batch
 * thread in the streaming benchmark's profile. Not thread-safe; each user holds its own.
 * <p>
 * Bounded: a connector builds new schema instances for a table it already knows (each connector start, and on
 * PostgreSQL each Relation message, which the server sends again whenever its cached description of the table was
 * invalidated), so a long-running pipeline would otherwise keep every instance it ever saw. Past {@value #LIMIT}
 * schemas the map forgets them all and works them out again.
 */
public final class PerSchema<V> {
    static final int LIMIT = 256;
    private final Map<Schema, V> known = new IdentityHashMap<>();
    private final Function<Schema, V> workOut;
    private Schema lastSchema;
    private V lastValue;

    public PerSchema(Function<Schema, V> workOut) {
        this.workOut = workOut;
    }

    public V get(Schema schema) {
        if (schema != lastSchema || lastSchema == null) {
            if (known.size() >= LIMIT && !known.containsKey(schema)) {
                known.clear();
            }
            lastValue = known.computeIfAbsent(schema, workOut);
            lastSchema = schema;
        }
        return lastValue;
    }
}
