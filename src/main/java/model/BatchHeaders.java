package model;

/** Headers a source puts on a batch exchange for the steps and sinks after it. */
public final class BatchHeaders {

    /** True on the batch that carries the snapshot's last row (a sink that buffers finishes there). */
    public static final String SNAPSHOT_COMPLETED = "TributarySnapshotCompleted";

    /**
     * A {@link sinks.DeliveryTurn} on a stream's batch whose source hands the next batch to the route while this one
     * is being delivered; absent: the sink delivers at once.
     */
    public static final String DELIVERY_TURN = "TributaryDeliveryTurn";

    private BatchHeaders() {
    }
}
