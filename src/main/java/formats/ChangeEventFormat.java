package formats;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import model.ChangeEvent;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One wire format for change events (docs/formats.md). Implementations are stateless and thread-safe, and
 * encode every value type of {@link ChangeEvent} the same way ({@link JsonValues}), documented in docs/formats.md.
 */
public interface ChangeEventFormat {

    /** The name pipelines use in {@code format:}. */
    String name();

    /** Whether DDL events become messages in this format (else the sink leaves them out, counted as filtered). */
    default boolean carriesDdl() {
        return false;
    }

    /** Writes one event as one JSON value to {@code g}, which may write many (a JSON-lines file): no per-event buffers. */
    void write(ChangeEvent event, JsonGenerator g) throws IOException;

    /** The message body for one event. */
    default byte[] encode(ChangeEvent event) {
        ByteArrayBuilder out = new ByteArrayBuilder(512);
        try (JsonGenerator g = JsonValues.JSON.createGenerator(out)) {
            write(event, g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
