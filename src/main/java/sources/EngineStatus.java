package sources;

import java.time.Instant;
import java.util.Map;

/**
 * The Debezium engine's real state as its callbacks reported it.
 *
 * @param committedOffset   the source offset of the last committed batch (connector-specific keys, e.g. {@code lsn})
 * @param snapshotCommitted the snapshot's last row was delivered and committed
 * @param largestBatch      the most changes one committed batch carried (shows the batch bound at work)
 */
public record EngineStatus(State state, String error, Instant since, Map<String, ?> committedOffset,
                           boolean snapshotCommitted, long batchesCommitted, long recordsCommitted, long largestBatch) {

    public enum State {
        /** engine created, connector task not yet started (connecting, creating the slot, ...) */
        STARTING,
        /** connector task running: snapshotting or streaming */
        RUNNING,
        /** engine ended without error (stopped, or finished after the snapshot) */
        COMPLETED,
        /** engine ended with an error; offsets stay at the last committed batch */
        FAILED
    }
}
