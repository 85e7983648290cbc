package sources;

import model.ChangeEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Hands a parallel snapshot's batches to its handler, up to {@code slots} at once: the calling thread waits for a free
 * slot and a helper thread delivers the batch, so the sink sends the next batch while an earlier one waits for its
 * acknowledgements. With one slot the calling thread delivers each batch itself. A failed batch is recorded in
 * {@code failure} and no batch is handed on after it.
 */
public final class BatchesInFlight implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BatchesInFlight.class);

    private final SnapshotReader.BatchHandler handler;
    private final int slots;
    private final Semaphore free;
    private final AtomicReference<Exception> failure;
    private final ExecutorService helpers;

    public BatchesInFlight(SnapshotReader.BatchHandler handler, int slots, AtomicReference<Exception> failure, String threadPrefix) {
        this.handler = handler;
        this.slots = Math.max(1, slots);
        this.free = new Semaphore(this.slots);
        this.failure = failure;
        AtomicInteger n = new AtomicInteger();
        this.helpers = this.slots == 1 ? null : Executors.newFixedThreadPool(this.slots, r -> {
            Thread t = new Thread(r, threadPrefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Delivers the batch (not the last one) or hands it to a helper; throws the first failure of an earlier batch. */
    public void deliver(List<ChangeEvent> batch) throws Exception {
        if (helpers == null) {
            handler.deliver(batch, false);
            return;
        }
        free.acquire();
        if (failure.get() != null) {
            free.release();
            throw failure.get();
        }
        helpers.execute(() -> {
            try {
                handler.deliver(batch, false);
            } catch (Exception e) {
                failure.compareAndSet(null, e);
            } finally {
                free.release();
            }
        });
    }

    /** Returns when no batch is in flight; throws the first failure. */
    public void awaitAll() throws Exception {
        free.acquire(slots);
        free.release(slots);
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    /** Waits for the batches in flight (a stop waits for them too) and ends the helpers. */
    @Override
    public void close() throws InterruptedException {
        if (helpers != null) {
            helpers.shutdown();
            if (!helpers.awaitTermination(5, TimeUnit.MINUTES)) {
                LOG.warn("snapshot batches still in flight after 5 minutes");
            }
        }
    }
}
