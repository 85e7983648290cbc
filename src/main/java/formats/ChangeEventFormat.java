package formats;

import com.fasterxml.jackson.core.JsonGenerator;
import model.ChangeEvent;

import java.io.IOException;

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

    /**
     * How many messages the event becomes: one, or two where the format writes an update as two (DataWorks' split
     * update). A sink sends each ({@link #encode(ChangeEvent, int)}); {@link #write} writes them all, one per line.
     */
    default int parts(ChangeEvent event) {
        return 1;
    }

    /** Writes message {@code part} (0 … {@link #parts} − 1) of the event as one JSON value. */
    default void write(ChangeEvent event, int part, JsonGenerator g) throws IOException {
        write(event, g);
    }

    /** The body of message {@code part} of the event. */
    default byte[] encode(ChangeEvent event, int part) {
        return bytes(g -> write(event, part, g));
    }

    /** The message body for one event (an event of several parts: one line per part). */
    default byte[] encode(ChangeEvent event) {
        return bytes(g -> write(event, g));
    }

    /**
     * The body of a marker message in this format ({@link StreamMarker}), or null when the format has none of that kind.
     *
     * @param table the table a snapshot marker is about; null for a heartbeat
     * @param at    the position reached: the time of the last change delivered, or of the snapshot
     */
    default byte[] marker(StreamMarker kind, model.TableId table, java.time.Instant at) {
        return null;
    }

    /** What one writing call produces, as bytes (for a format's own messages, e.g. its markers). */
    static byte[] bytesOf(Writing writing) {
        return bytes(writing);
    }

    /** What one writing call produces, as bytes. */
    private static byte[] bytes(Writing writing) {
        return MessageBytes.of(writing);
    }

    /** A write into a generator. */
    @FunctionalInterface
    interface Writing {
        void to(JsonGenerator g) throws IOException;
    }
}
