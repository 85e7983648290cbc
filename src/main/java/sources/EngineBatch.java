package sources;

import org.apache.kafka.connect.source.SourceRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A batch the engine handed over, sorted for the route: its changes (without heartbeats and transaction markers),
 * whether the snapshot's last row is among them, and — while the snapshot may be taken again — where it ends.
 *
 * @param sweepAt the index in {@code changes} where the snapshot ends, if it ends in this batch while it may be taken
 *                again (the retake's deletes go there); -1: not in this batch
 */
record EngineBatch(List<SourceRecord> records, List<SourceRecord> changes, boolean snapshotEnds, int sweepAt) {

    static EngineBatch of(List<SourceRecord> records, Predicate<SourceRecord> isChange,
                          Predicate<SourceRecord> lastSnapshotRow, boolean retakable) {
        List<SourceRecord> changes = new ArrayList<>(records.size());
        boolean snapshotEnds = false;
        int sweepAt = -1;
        for (SourceRecord record : records) {
            boolean last = lastSnapshotRow.test(record);
            if (retakable && sweepAt < 0 && !last && SnapshotOffsets.done(record.sourceOffset())) {
                sweepAt = changes.size(); // the first offset after the snapshot (an empty snapshot has no last row)
            }
            if (isChange.test(record)) {
                changes.add(record);
                snapshotEnds |= last;
                if (last && retakable && sweepAt < 0) {
                    sweepAt = changes.size();
                }
            }
        }
        return new EngineBatch(records, changes, snapshotEnds, sweepAt);
    }

    /** Only streamed changes: nothing of a snapshot, so the batch may overlap the one before ({@link OverlappedBatches}). */
    boolean streamedOnly(boolean retakable) {
        return sweepAt < 0 && !snapshotEnds && !retakable && SnapshotOffsets.done(records.get(0).sourceOffset());
    }
}
