package sinks.hdfs;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sinks.hdfs.PartFormat.PartWriter;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Publishes rolled parts one after the other on a thread of its own, so the batch after a roll need not wait for the
 * part's closes and rename (a sixth of the Parquet sink's time). A rolled part is durable already — every batch is
 * synced before it completes — so publishing is only its move to the final name; the part stays in the in-progress
 * list until it is published, and recovery leaves it alone while it is ({@link #busy}). A publish that fails leaves the
 * part for recovery, as a failed publish on the batch's thread does.
 */
final class PartPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(PartPublisher.class);
    /** Rolled parts waiting to be published, at most: the next roll waits for the oldest. */
    private static final int MAX_WAITING = 2;

    /** Throws when this node no longer owns the pipeline (cluster mode); nothing on a single node. */
    interface Fence {
        void check() throws IOException;
    }

    private final String pipeline;
    private final InProgressFiles inProgress;
    private final Fence fence;
    private final ExecutorService thread;
    /** Parts being published, by temporary path. */
    private final Map<String, CompletableFuture<Void>> publishing = new ConcurrentHashMap<>();
    /** The same, oldest first; used by the sink's thread only. */
    private final ArrayDeque<CompletableFuture<Void>> order = new ArrayDeque<>();

    PartPublisher(String pipeline, InProgressFiles inProgress, Fence fence) {
        this.pipeline = pipeline;
        this.inProgress = inProgress;
        this.fence = fence;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "hdfs-publish-" + pipeline);
            t.setDaemon(true);
            return t;
        });
    }

    /** Publishes the synced part in {@code temp} under {@code target} in the background. */
    void publish(FileSystem fs, Path temp, Path target, PartWriter writer) {
        while (order.size() >= MAX_WAITING) {
            order.removeFirst().join();
        }
        String key = temp.toString();
        CompletableFuture<Void> done = new CompletableFuture<>();
        publishing.put(key, done);
        order.addLast(done);
        thread.execute(() -> {
            try {
                faults.FaultPoints.reached(faults.FaultPoints.PART_PUBLISHING);
                fence.check(); // a node that lost the pipeline publishes nothing more: the new owner recovers the part
                writer.publish(fs, target);
                inProgress.remove(key);
                LOG.debug("{}: published {} ({} records)", pipeline, target, writer.records());
            } catch (IOException | RuntimeException e) {
                LOG.warn("{}: cannot publish {} yet ({}); it is recovered before the next batch", pipeline, target, e.getMessage());
                writer.abandon();
            } finally {
                publishing.remove(key);
                done.complete(null);
            }
        });
    }

    /** The temporary paths of the parts being published now. */
    Set<String> busy() {
        return publishing.keySet();
    }

    /** Waits until every part handed over is published (or left for recovery). */
    void awaitAll() {
        while (!order.isEmpty()) {
            order.removeFirst().join();
        }
    }

    /** Publishes what was handed over, then ends the thread. */
    void close() {
        awaitAll();
        thread.shutdown();
    }
}
