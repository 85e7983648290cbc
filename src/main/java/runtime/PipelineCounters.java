package runtime;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** What flowed through one pipeline since it was loaded. Written by the processors, read by the REST status. */
public final class PipelineCounters {

    public final AtomicLong eventsIn = new AtomicLong();
    public final AtomicLong eventsOut = new AtomicLong();
    public final AtomicLong eventsFiltered = new AtomicLong();
    /** Changes dropped because they were delivered before (dedup). */
    public final AtomicLong eventsDeduplicated = new AtomicLong();
    public final AtomicLong errors = new AtomicLong();
    public final AtomicLong deadLettered = new AtomicLong();
    private volatile String lastError;
    private volatile Instant lastErrorAt;
    private volatile Instant lastCommitTs;

    /** The newest errors with their time, oldest first, at most {@link #RECENT_ERRORS} (the status's errors.recent). */
    private final java.util.Deque<java.util.Map<String, String>> recentErrors = new java.util.ArrayDeque<>();
    private static final int RECENT_ERRORS = 10;

    public void recordError(Throwable error) {
        errors.incrementAndGet();
        String text = error == null ? "unknown error" : error.getClass().getSimpleName() + ": " + error.getMessage();
        Instant at = Instant.now();
        lastError = text;
        lastErrorAt = at;
        synchronized (recentErrors) {
            recentErrors.addLast(java.util.Map.of("at", at.toString(), "error", text));
            if (recentErrors.size() > RECENT_ERRORS) {
                recentErrors.removeFirst();
            }
        }
    }

    public java.util.List<java.util.Map<String, String>> recentErrors() {
        synchronized (recentErrors) {
            return java.util.List.copyOf(recentErrors);
        }
    }

    /** Batch sizes and sink latency, once metrics are on (runtime.Metrics binds them). */
    private volatile io.micrometer.core.instrument.DistributionSummary batchSizes;
    private volatile io.micrometer.core.instrument.Timer sinkLatency;

    public void bindMeters(io.micrometer.core.instrument.DistributionSummary sizes, io.micrometer.core.instrument.Timer latency) {
        this.batchSizes = sizes;
        this.sinkLatency = latency;
    }

    /** One batch the sink acknowledged: its size and how long the sink took. */
    public void recordBatch(int size, long nanos) {
        if (batchSizes != null) {
            batchSizes.record(size);
            sinkLatency.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    public void recordDelivered(int count, Instant commitTsOfLast) {
        eventsOut.addAndGet(count);
        if (commitTsOfLast != null) {
            lastCommitTs = commitTsOfLast;
        }
    }

    /** Things an operator should know that are not errors (e.g. a selected table renamed away), newest last, at most 20. */
    private final java.util.List<String> notices = new java.util.concurrent.CopyOnWriteArrayList<>();

    public void recordNotice(String notice) {
        notices.add(Instant.now() + " " + notice);
        while (notices.size() > 20) {
            notices.remove(0);
        }
    }

    public java.util.List<String> notices() {
        return java.util.List.copyOf(notices);
    }

    public String lastError() {
        return lastError;
    }

    public Instant lastErrorAt() {
        return lastErrorAt;
    }

    /** Source commit time of the last change the sink acknowledged. */
    public Instant lastCommitTs() {
        return lastCommitTs;
    }
}
