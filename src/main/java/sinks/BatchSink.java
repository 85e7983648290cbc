package sinks;

import model.ChangeEvent;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.service.ServiceSupport;
import counters.PipelineCounters;

import java.util.List;

/**
 * The contract every sink of a pipeline keeps (docs/design.md, "The route"): it receives one batch of change events in source order
 * (body {@code List<ChangeEvent>}) and returns only when the target acknowledged every one of them; if it cannot, it
 * throws, the route retries the batch, and no source offset moves. Per-key order inside the batch must survive its own
 * retries. Lifecycle: connect in {@code doStart}, release in {@code doStop} — Camel starts and stops sinks with the
 * pipeline's route.
 */
public abstract class BatchSink extends ServiceSupport implements Processor {

    protected final PipelineCounters counters;
    /** The format's marker messages, sent around the batches ({@link StreamMarkers}); null: none. */
    protected volatile StreamMarkers markers;

    /** Cluster mode: the pipeline's state folder, whose owner is checked before each delivery (fencing); null: none. */
    private volatile java.nio.file.Path fencedBy;

    protected BatchSink(PipelineCounters counters) {
        this.counters = counters;
    }

    /**
     * Cluster mode: a name that identifies the pipeline to a target that can fence writers itself (Kafka's transactional
     * id), while this node owns it under an epoch; null on a single node. Asked when the sink starts.
     */
    protected String fencingId() {
        java.nio.file.Path dir = fencedBy;
        return dir != null && state.SharedState.isShared(dir) ? "tributary-" + dir.getFileName() : null;
    }

    /**
     * The pipeline and the epoch under which this node owns it, for a target that keeps the epoch with its commit, and
     * how long that target's transactions may idle ({@link state.IdleTransactions}).
     */
    public record Owner(String pipeline, long epoch, long idleTransactionLimitMs) {
    }

    /** Cluster mode: who this node delivers as (asked per batch); null on a single node. */
    protected Owner owner() {
        java.nio.file.Path dir = fencedBy;
        return dir == null ? null : state.SharedState.mirror(dir)
                .map(m -> new Owner(dir.getFileName().toString(), m.epoch(), m.idleTransactionLimitMs())).orElse(null);
    }

    /**
     * Delivers only while this node owns the pipeline: before each batch the state database is asked whether another
     * node has claimed it since (docs/cluster.md, "Fencing"); a stale owner's batch fails instead of being written.
     */
    public BatchSink fencedBy(java.nio.file.Path pipelineStateDir) {
        this.fencedBy = pipelineStateDir;
        return this;
    }

    /** Cluster mode: throws {@link state.StaleOwnerException} when another node has taken the pipeline; else nothing. */
    protected void checkOwner() throws java.io.IOException {
        java.nio.file.Path dir = fencedBy;
        if (dir != null) {
            state.SharedState.checkOwner(dir);
        }
    }

    @Override
    public final void process(Exchange exchange) throws Exception {
        @SuppressWarnings("unchecked")
        List<ChangeEvent> events = exchange.getIn().getMandatoryBody(List.class);
        DeliveryTurn turn = exchange.getIn().getHeader(model.BatchHeaders.DELIVERY_TURN, DeliveryTurn.class);
        Object prepared = null;
        if (turn != null) {
            prepared = events.isEmpty() ? null : prepare(events);
            turn.prepared();
            if (!turn.awaitPrevious()) {
                exchange.setRouteStop(true); // the batch before failed: this one is read again after it, not sent now
                return;
            }
        }
        if (!events.isEmpty()) {
            checkOwner();
            long t0 = System.nanoTime();
            counters.deliveryStarted();
            try {
                if (markers != null) {
                    markers.beforeDelivery(events);
                }
                if (prepared != null) {
                    deliver(events, prepared);
                } else {
                    deliver(events);
                }
            } finally {
                counters.deliveryEnded();
            }
            if (markers != null) {
                markers.delivered(events);
            }
            counters.recordBatch(events, System.nanoTime() - t0);
            counters.recordDelivered(events.size(), events.get(events.size() - 1).position().commitTs());
        }
        if (exchange.getIn().getHeader(model.BatchHeaders.SNAPSHOT_COMPLETED, false, Boolean.class)) {
            afterSnapshot();
            if (markers != null) {
                markers.snapshotEnded();
            }
        }
        if (turn != null) {
            turn.delivered();
        }
    }

    /** Sends the batch and returns when every event is acknowledged; throws otherwise. */
    protected abstract void deliver(List<ChangeEvent> events) throws Exception;

    /**
     * The batch's work that does not touch the target (encoding), done while the batch before it is still being
     * delivered ({@link DeliveryTurn}); handed to {@link #deliver(List, Object)}. Null (the default): nothing to do early.
     */
    protected Object prepare(List<ChangeEvent> events) throws Exception {
        return null;
    }

    /** {@link #deliver(List)} with what {@link #prepare} made of the batch. */
    protected void deliver(List<ChangeEvent> events, Object prepared) throws Exception {
        deliver(events);
    }

    /** Called in the batch that ends the snapshot, after its events were delivered (a sink that buffers finishes here). */
    protected void afterSnapshot() throws Exception {
    }
}
