package faults;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Named moments at which the fault-injection tests halt the JVM as kill -9 would — no shutdown hook, no flush — or
 * freeze it as a long pause would, so the worst moment of a guarantee is tested every run, not when a timer happens to
 * hit it. Off unless the system property {@code tributary.faults.halt} (or {@code tributary.faults.freeze}) names a
 * point, optionally with the occurrence ({@code batch-acked@3}: the third time the point is reached; default the
 * first). Checking a point costs a property look-up when neither is set.
 */
public final class FaultPoints {

    /** The route acknowledged a batch (every sink acknowledgement arrived); its source offsets are not committed yet. */
    public static final String BATCH_ACKED = "batch-acked";
    /** The batch that ends a snapshot (and the retake's deletes, if any) is acknowledged; the snapshot's end is not committed. */
    public static final String SNAPSHOT_END_ACKED = "snapshot-end-acked";

    /** Half of a state file's new content (offsets, watermarks) is in its temporary file; the rename has not happened. */
    public static final String STATE_HALF_WRITTEN = "state-half-written";
    /** Cluster mode: a state write's transaction holds the pipeline's owner row (its fence); the write has not happened. */
    public static final String STATE_OWNER_LOCKED = "state-owner-locked";
    /** A change the sink refused is in the dead-letter file; the batch's offsets are not committed yet. */
    public static final String DEAD_LETTER_WRITTEN = "dead-letter-written";
    /** HDFS: a rolled part is about to be published in the background; its batch may be committed already. */
    public static final String PART_PUBLISHING = "part-publishing";
    /** HDFS: a part is under its final name; its temporary file and its in-progress entry are still there. */
    public static final String PART_RENAMED = "part-renamed";

    private static final Logger LOG = LoggerFactory.getLogger(FaultPoints.class);
    private static final Map<String, AtomicInteger> REACHED = new ConcurrentHashMap<>();

    private FaultPoints() {
    }

    /**
     * Halts the JVM (exit status 137, as after SIGKILL) if {@code point} is the one {@code tributary.faults.halt} names
     * and its occurrence has come; freezes it (SIGSTOP to itself, as a long GC pause or a stopped VM would, until a
     * SIGCONT from outside) if it is the one {@code tributary.faults.freeze} names.
     */
    public static void reached(String point) {
        if (due("tributary.faults.halt", point)) {
            LOG.warn("fault injection: halting the JVM at {}", point);
            Runtime.getRuntime().halt(137);
        }
        if (due("tributary.faults.freeze", point)) {
            LOG.warn("fault injection: freezing the JVM at {} (SIGSTOP; SIGCONT goes on)", point);
            try {
                new ProcessBuilder("kill", "-STOP", String.valueOf(ProcessHandle.current().pid())).inheritIO().start().waitFor();
            } catch (java.io.IOException | InterruptedException e) {
                throw new IllegalStateException("fault injection: cannot freeze the JVM", e);
            }
        }
    }

    private static boolean due(String property, String point) {
        String wanted = System.getProperty(property);
        if (wanted == null || !wanted.startsWith(point)) {
            return false;
        }
        int at = 1;
        int sep = wanted.indexOf('@');
        if (sep >= 0) {
            at = Integer.parseInt(wanted.substring(sep + 1));
        }
        if (!wanted.substring(0, sep >= 0 ? sep : wanted.length()).equals(point)) {
            return false;
        }
        return REACHED.computeIfAbsent(property + " " + point, p -> new AtomicInteger()).incrementAndGet() == at;
    }
}
