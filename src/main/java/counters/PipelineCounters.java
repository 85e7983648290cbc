package counters;

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
    /** When the batch the sink is sending now was handed to it (null: none in flight). */
    private volatile Instant deliveringSince;

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

    /** The sink got a batch; until {@link #deliveryEnded} it waits for the destination's acknowledgements. */
    public void deliveryStarted() {
        deliveringSince = Instant.now();
    }

    public void deliveryEnded() {
        deliveringSince = null;
    }

    /**
     * Seconds the batch in flight has waited for the destination (null: none in flight) — a destination away for less
     * than the producer's delivery timeout raises no error, this shows the wait.
     */
    public Double deliveringSeconds() {
        Instant since = deliveringSince;
        return since == null ? null : java.time.Duration.between(since, Instant.now()).toMillis() / 1000.0;
    }

    public java.util.List<java.util.Map<String, String>> recentErrors() {
        synchronized (recentErrors) {
            return java.util.List.copyOf(recentErrors);
        }
    }

    /** Batch sizes, sink latency and commit-to-acknowledgement latency, once metrics are on (runtime.Metrics binds them). */
    private volatile io.micrometer.core.instrument.DistributionSummary batchSizes;
    private volatile io.micrometer.core.instrument.Timer sinkLatency;
    private volatile io.micrometer.core.instrument.Timer deliveryLatency;

    public void bindMeters(io.micrometer.core.instrument.DistributionSummary sizes, io.micrometer.core.instrument.Timer latency,
                           io.micrometer.core.instrument.Timer delivery) {
        this.batchSizes = sizes;
        this.sinkLatency = latency;
        this.deliveryLatency = delivery;
    }

    /**
     * One batch the sink acknowledged: its size, how long the sink took, and for each change the time from its source
     * commit to now (the acknowledgement) — streamed changes only: a snapshot row's commit time is the snapshot's.
     */
    public void recordBatch(java.util.List<model.ChangeEvent> events, long nanos) {
        if (batchSizes == null) {
            return;
        }
        batchSizes.record(events.size());
        sinkLatency.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        Instant ack = Instant.now();
        long now = ack.getEpochSecond() * 1_000_000 + ack.getNano() / 1000;
        for (model.ChangeEvent e : events) {
            Instant commit = e.position().commitTs();
            if (commit != null && e.op() != model.Op.READ) {
                long micros = now - (commit.getEpochSecond() * 1_000_000 + commit.getNano() / 1000);
                deliveryLatency.record(Math.max(0, micros), java.util.concurrent.TimeUnit.MICROSECONDS);
            }
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
