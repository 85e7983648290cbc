package faults;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Named moments at which the fault-injection tests halt the JVM as kill -9 would — no shutdown hook, no flush — so the
 * worst moment of a guarantee is tested every run, not when a timer happens to hit it. Off unless the system property
 * {@code tributary.faults.halt} names a point, optionally with the occurrence to halt at ({@code batch-acked@3}: the
 * third time the point is reached; default the first). Checking a point costs one map lookup when the property is unset.
 */
public final class FaultPoints {

    /** The route acknowledged a batch (every sink acknowledgement arrived); its source offsets are not committed yet. */
    public static final String BATCH_ACKED = "batch-acked";
    /** The batch that ends a snapshot (and the retake's deletes, if any) is acknowledged; the snapshot's end is not committed. */
    public static final String SNAPSHOT_END_ACKED = "snapshot-end-acked";

    /** Half of a state file's new content (offsets, watermarks) is in its temporary file; the rename has not happened. */
    public static final String STATE_HALF_WRITTEN = "state-half-written";
    /** A change the sink refused is in the dead-letter file; the batch's offsets are not committed yet. */
    public static final String DEAD_LETTER_WRITTEN = "dead-letter-written";

    private static final Logger LOG = LoggerFactory.getLogger(FaultPoints.class);
    private static final Map<String, AtomicInteger> REACHED = new ConcurrentHashMap<>();

    private FaultPoints() {
    }

    /** Halts the JVM (exit status 137, as after SIGKILL) if {@code point} is the configured one and its occurrence has come. */
    public static void reached(String point) {
        String wanted = System.getProperty("tributary.faults.halt");
        if (wanted == null || !wanted.startsWith(point)) {
            return;
        }
        int at = 1;
        int sep = wanted.indexOf('@');
        if (sep >= 0) {
            at = Integer.parseInt(wanted.substring(sep + 1));
        }
        if (!wanted.substring(0, sep >= 0 ? sep : wanted.length()).equals(point)) {
            return;
        }
        if (REACHED.computeIfAbsent(point, p -> new AtomicInteger()).incrementAndGet() == at) {
            LOG.warn("fault injection: halting the JVM at {} (occurrence {})", point, at);
            Runtime.getRuntime().halt(137);
        }
    }
}
