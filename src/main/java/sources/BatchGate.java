package sources;

import java.util.concurrent.TimeUnit;

/**
 * The batches in the route, and a stop that waits for them. Camel stops consumers before it waits for their
 * exchanges; closing the engine while a batch is in the route would flush the offsets without that batch, and a
 * graceful stop would repeat it after the restart. So a stop closes the gate (no batch enters after it) and waits,
 * bounded, for the batches inside; a batch stuck in retries is left uncommitted and delivered again later.
 * A parallel snapshot may have two batches inside at once. A suspended gate (the pipeline paused) holds the next batch
 * at the gate until it is resumed or closed.
 */
final class BatchGate {

    private int inside;
    private boolean closed;
    private boolean suspended;

    /** Open again (the consumer starts). */
    synchronized void open() {
        closed = false;
        suspended = false;
    }

    /** Holds batches at the gate from now on, and waits up to {@code seconds} for the batches inside to leave. */
    synchronized void suspendAndAwait(long seconds) throws InterruptedException {
        suspended = true;
        awaitEmpty(seconds);
    }

    /** Lets the held batch in. */
    synchronized void resume() {
        suspended = false;
        notifyAll();
    }

    synchronized boolean isClosed() {
        return closed;
    }

    /**
     * Lets a batch in, waiting while the gate is suspended; false once closed: the batch is not delivered and is read
     * again after the restart.
     */
    synchronized boolean enter() throws InterruptedException {
        while (suspended && !closed) {
            wait();
        }
        if (closed) {
            return false;
        }
        inside++;
        return true;
    }

    synchronized void leave() {
        inside--;
        notifyAll();
    }

    /** Runs {@code action} unless the gate is closed, with no stop in between; false when it did not run. */
    synchronized boolean unlessClosed(Runnable action) {
        if (closed) {
            return false;
        }
        action.run();
        return true;
    }

    /** Closes the gate and waits up to {@code seconds} for the batches inside to leave. */
    synchronized void closeAndAwait(long seconds) throws InterruptedException {
        closed = true;
        notifyAll(); // a batch held by a suspension leaves undelivered
        awaitEmpty(seconds);
    }

    private void awaitEmpty(long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (inside > 0 && System.nanoTime() < deadline) {
            wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
    }
}
