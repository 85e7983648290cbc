package formats;

import model.ChangeEvent;

import java.util.function.BiPredicate;
import java.util.function.Function;

/**
 * A part of a message that runs of consecutive snapshot rows share — the source block of their position, the start of
 * their ids — encoded once per run. Only snapshot rows are looked at (a streamed change has a position of its own);
 * a part is kept only for a run: a row that matches the one seen just before it encodes the part and keeps it, rows
 * that share nothing with their neighbours pay a comparison, never an encoding they would not reuse. Used from several
 * encoding threads at once: each field holds an immutable value, so a race costs at most one encoding more.
 */
public final class RepeatedPart<V> {

    private final BiPredicate<ChangeEvent, ChangeEvent> sameFor;
    private final Function<ChangeEvent, V> encode;
    private volatile ChangeEvent seen;
    private volatile Kept<V> kept;

    private record Kept<V>(ChangeEvent of, V value) {
    }

    /**
     * @param sameFor whether two events have the same part
     * @param encode  the part of an event
     */
    public RepeatedPart(BiPredicate<ChangeEvent, ChangeEvent> sameFor, Function<ChangeEvent, V> encode) {
        this.sameFor = sameFor;
        this.encode = encode;
    }

    /** The event's part when it is a snapshot row that repeats the last one's (the caller writes it from the event when null). */
    public V of(ChangeEvent event) {
        if (!event.position().snapshot()) {
            return null;
        }
        Kept<V> k = kept;
        if (k != null && sameFor.test(k.of(), event)) {
            return k.value();
        }
        ChangeEvent last = seen;
        if (last != null && sameFor.test(last, event)) {
            k = new Kept<>(event, encode.apply(event));
            kept = k;
            return k.value();
        }
        seen = event;
        return null;
    }
}
