package sources;

import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sinks.DeliveryTurn;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;

/**
 * Two batches of a stream in the route at once: while batch N waits for the target's acknowledgements, batch N+1 runs
 * the steps before the sink and is encoded; its sink sends it only once N is delivered ({@link DeliveryTurn}), and its
 * offsets are committed only after N's. So the target sees the batches in the source's order and no offset moves past
 * an undelivered change, as with one batch at a time; what the overlap gains is the time a batch's preparation took
 * on the source's thread while it idled on the acknowledgements (docs/performance.md, "Overlapped batches").
 * <p>
 * The steps before the sink see the batches one after another too: the next batch enters the route only once the one
 * before reached its sink. Steps after the sink may run while the next batch is prepared — a route whose steps
 * after the sink must see every batch delivered first (dedup remembering what it delivered) does not overlap.
 * <p>
 * A batch that fails ends the overlap: the batch after it is not sent, nothing after the failed batch is committed,
 * and {@code onFailure} is told (the source stops and reads both again when restarted).
 */
final class OverlappedBatches {

    private static final Logger LOG = LoggerFactory.getLogger(OverlappedBatches.class);

    /** A batch through the route with its turn; throws when it was not delivered. */
    interface Route {
        void deliver(DeliveryTurn turn) throws Exception;
    }

    /** The batch's offsets committed. */
    interface Commit {
        void commit() throws Exception;
    }

    private final CamelContext camel;
    private final ExecutorService threads;
    private final Runnable onFailure;
    /** The batch in flight and the one being prepared. */
    private final Semaphore slots = new Semaphore(2);
    // the source's thread only
    private DeliveryTurn last;
    private CompletableFuture<Boolean> lastCommitted = CompletableFuture.completedFuture(true);
    private volatile RuntimeException failure;

    /** With two threads of the source's own; {@code onFailure} runs once, on the thread of the batch that failed. */
    OverlappedBatches(CamelContext camel, Object source, Runnable onFailure) {
        this.camel = camel;
        this.threads = camel.getExecutorServiceManager().newFixedThreadPool(source, "cdc-batch", 2);
        this.onFailure = onFailure;
    }

    /** The failure that ended the overlap, or null. */
    RuntimeException failure() {
        return failure;
    }

    /** Ends the threads once the batches on them are done (the source's gate waited for them already). */
    void stop() {
        camel.getExecutorServiceManager().shutdownGraceful(threads);
    }

    /**
     * Hands the batch to the route on a thread of this source once the batch before it reached its sink; returns at
     * once after. {@code done} runs when the batch is committed or has failed. Throws the failure of an earlier batch.
     */
    void submit(Route route, Commit commit, Runnable done) throws InterruptedException {
        throwIfFailed();
        if (last != null) {
            last.awaitPrepared();
        }
        slots.acquire();
        DeliveryTurn turn = new DeliveryTurn(last);
        CompletableFuture<Boolean> previousCommitted = lastCommitted;
        CompletableFuture<Boolean> committed = new CompletableFuture<>();
        last = turn;
        lastCommitted = committed;
        try {
            threads.execute(() -> run(route, commit, done, turn, previousCommitted, committed));
        } catch (RuntimeException rejected) { // the source is stopping
            turn.routeFailed();
            committed.complete(false);
            slots.release();
            throw rejected;
        }
    }

    private void run(Route route, Commit commit, Runnable done, DeliveryTurn turn,
                     CompletableFuture<Boolean> previousCommitted, CompletableFuture<Boolean> committed) {
        boolean ok = false;
        try {
            try {
                route.deliver(turn);
            } catch (Exception e) {
                turn.routeFailed();
                throw e;
            }
            turn.routeEnded();
            // a batch whose predecessor failed was not sent (its sink saw the failure): it is not committed either
            if (previousCommitted.get()) {
                faults.FaultPoints.reached(faults.FaultPoints.BATCH_ACKED);
                commit.commit();
                ok = true;
            }
        } catch (Exception e) {
            RuntimeException f = e instanceof RuntimeException r ? r : new IllegalStateException(e.getMessage(), e);
            if (failure == null) {
                failure = f;
                LOG.debug("a batch of an overlapped stream failed", e);
                onFailure.run();
            }
        } finally {
            committed.complete(ok);
            slots.release();
            done.run();
        }
    }

    /** Waits until every batch handed over is committed or failed; throws the failure. */
    void drain() throws InterruptedException {
        slots.acquire(2);
        slots.release(2);
        last = null;
        throwIfFailed();
    }

    private void throwIfFailed() {
        if (failure != null) {
            throw failure;
        }
    }
}
