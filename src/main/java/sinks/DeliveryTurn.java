package sinks;

import java.util.concurrent.CountDownLatch;

/**
 * A batch's place in a stream whose source overlaps batches (header {@link model.BatchHeaders#DELIVERY_TURN}): the
 * sink prepares the batch (encodes it) while the batch before it still waits for its acknowledgements, then waits for
 * that batch to be delivered before it sends anything. So the target receives the batches one after another, in the
 * source's order, as without the overlap; only the work that does not touch the target runs early. Without the header
 * (a hand-written route, a snapshot batch) a sink delivers at once.
 */
public final class DeliveryTurn {

    private final DeliveryTurn previous;
    private final CountDownLatch prepared = new CountDownLatch(1);
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile boolean delivered;

    /** @param previous the batch handed to the route before this one; null: none is in flight */
    public DeliveryTurn(DeliveryTurn previous) {
        this.previous = previous;
    }

    /** The sink: this batch's work before the target is done; the source may hand the next batch to the route. */
    public void prepared() {
        prepared.countDown();
    }

    /**
     * The sink: waits until the batch before this one is delivered or has failed; false when it failed — then this
     * batch must not be delivered either (its source commits nothing after the failed batch and reads both again).
     */
    public boolean awaitPrevious() throws InterruptedException {
        if (previous == null) {
            return true;
        }
        previous.ended.await();
        if (!previous.delivered) {
            ended.countDown(); // this batch ends undelivered: the one after it must not be delivered either
            return false;
        }
        return true;
    }

    /** The sink: every change of this batch is acknowledged. */
    public void delivered() {
        delivered = true;
        ended.countDown();
    }

    /**
     * The source: the route returned without an exception. A batch that took no turn at its sink (no sink in the
     * route, or nothing reached it) counts as delivered once the batch before it is: the turn passes on in order.
     */
    public void routeEnded() throws InterruptedException {
        prepared.countDown();
        if (ended.getCount() > 0) {
            if (awaitPrevious()) {
                delivered = true;
            }
            ended.countDown();
        }
    }

    /** The source: the route failed; the batch after this one is not delivered. */
    public void routeFailed() {
        ended.countDown();
        prepared.countDown();
    }

    /** The source: waits until the next batch may enter the route (this one is prepared, or out of the route). */
    public void awaitPrepared() throws InterruptedException {
        prepared.await();
    }
}
