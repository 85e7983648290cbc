package sources;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** What a source committed so far, for its status: batches, changes, the largest batch, the last offset. */
final class CommitTally {

    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong changes = new AtomicLong();
    private final AtomicLong largest = new AtomicLong();
    private volatile Map<String, ?> offset;

    /** A batch of {@code count} changes committed; {@code lastOffset}: its last record's offset, or null (a snapshot's batch). */
    void add(int count, Map<String, ?> lastOffset) {
        batches.incrementAndGet();
        changes.addAndGet(count);
        largest.accumulateAndGet(count, Math::max);
        if (lastOffset != null) {
            offset = lastOffset;
        }
    }

    Map<String, ?> offset() {
        return offset;
    }

    EngineStatus status(EngineStatus.State state, String error, java.time.Instant since, boolean snapshotCommitted) {
        return new EngineStatus(state, error, since, offset, snapshotCommitted, batches.get(), changes.get(), largest.get());
    }
}
