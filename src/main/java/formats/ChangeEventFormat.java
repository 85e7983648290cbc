package formats;

import model.ChangeEvent;

/**
 * One wire format for change events (DESIGN.md §1, "Formats"). Implementations are stateless and thread-safe, and
 * encode every value type of {@link ChangeEvent} the same way ({@link JsonValues}), documented in docs/formats.md.
 */
public interface ChangeEventFormat {

    /** The name pipelines use in {@code format:}. */
    String name();

    /** The message body for one event. */
    byte[] encode(ChangeEvent event);

    /** The message key: the primary-key columns as a JSON object, in key order; null for a table without a key. */
    default byte[] encodeKey(ChangeEvent event) {
        return event.primaryKey().isEmpty() ? null : JsonValues.encode(event.key());
    }
}
