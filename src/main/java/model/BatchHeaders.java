package model;

/** Headers a source puts on a batch exchange for the steps and sinks after it. */
public final class BatchHeaders {

    /** True on the batch that carries the snapshot's last row (a sink that buffers finishes there). */
    public static final String SNAPSHOT_COMPLETED = "TributarySnapshotCompleted";

    private BatchHeaders() {
    }
}
