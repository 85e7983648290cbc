package sources;

import faults.FaultPoints;
import io.debezium.engine.DebeziumEngine;
import org.apache.camel.Processor;
import org.apache.camel.Suspendable;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import snapshots.SnapshotLedger;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs the Debezium engine in batch mode (as Debezium Server does): each batch the engine polls becomes one exchange;
 * its offsets are marked processed only after the route completed it without an exception. A failed exchange fails
 * the engine (no offset moves past it) and the consumer reports {@link EngineStatus.State#FAILED} — the route alone
 * would still say "Started" (docs/design.md, "Traps designed around").
 */
public class CdcConsumer extends BatchConsumer implements Suspendable {

    private static final Logger LOG = LoggerFactory.getLogger(CdcConsumer.class);

    private final CdcEndpoint endpoint;
    private ExecutorService executor;
    private ScheduledExecutorService watcher;
    private volatile DebeziumEngine<SourceRecord> engine;
    private String heartbeatPrefix;
    /** Whole transactions only ({@code wholeTransactions}); null: batches as the engine hands them. */
    private WholeTransactions whole;
    /** The stream's batches two at a time ({@code overlapBatches}); null: one at a time. */
    private volatile OverlappedBatches overlapped;

    private volatile EngineStatus.State state = EngineStatus.State.STARTING;
    private volatile String error;
    private volatile Instant since = Instant.now();
    private volatile boolean snapshotCommitted;
    /** Whether the snapshot may be taken again, and its ledger's sweep ({@link SnapshotLedger}). */
    private final SnapshotRetake retake;
    /** The batches in the route, which a stop waits for. */
    private final BatchGate gate = new BatchGate();
    private final CommitTally committed = new CommitTally();
    private final SnapshotOffsets.LastSnapshotRecord lastSnapshotRecord = new SnapshotOffsets.LastSnapshotRecord();

    /** The Debezium engine's settings as this consumer starts it (a copy; holds the source password). */
    public Properties debeziumProperties() {
        return endpoint.debeziumConfiguration().createDebeziumConfiguration().asProperties();
    }

    CdcConsumer(CdcEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.retake = new SnapshotRetake(endpoint.getSnapshotLedger());
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        Properties props = settings();
        heartbeatPrefix = props.getProperty("heartbeat.topics.prefix", "__debezium-heartbeat");
        whole = endpoint.isWholeTransactions() ? new WholeTransactions(props.getProperty("topic.prefix")) : null;
        String offsetFile = props.getProperty("offset.storage.file.filename");
        if (offsetFile != null && Path.of(offsetFile).getParent() != null) {
            // the file store does not create its directory, and a failed offset flush only logs
            Files.createDirectories(Path.of(offsetFile).getParent());
        }
        setState(EngineStatus.State.STARTING, null);
        engine = null;
        reading = false;
        gate.open();
        overlapped = endpoint.isOverlapBatches() ? new OverlappedBatches(getEndpoint().getCamelContext(), this, this::closeEngine) : null;
        executor = getEndpoint().getCamelContext().getExecutorServiceManager().newSingleThreadExecutor(this, "cdc-engine");
        executor.submit(() -> checkThenRun(props));
        if (endpoint.isStopAfterSnapshot() && endpoint.getParallelSnapshot() == null) {
            String prefix = props.getProperty("topic.prefix");
            watcher = getEndpoint().getCamelContext().getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "cdc-snapshot-watch");
            watcher.scheduleWithFixedDelay(() -> stopIfSnapshotWasEmpty(prefix), 500, 500, TimeUnit.MILLISECONDS);
        }
    }

    /** The engine, built when it is about to run (after the start checks and a parallel snapshot). */
    private DebeziumEngine<SourceRecord> buildEngine(Properties props) {
        LOG.info("starting CDC engine {} (tables: {}, snapshot mode: {})", props.getProperty("name"),
                props.getProperty("table.include.list"), props.getProperty("snapshot.mode"));
        return SourceRecordEngine.builder()
                .using(props)
                .using(new DebeziumEngine.ConnectorCallback() {
                    @Override
                    public void taskStarted() {
                        setState(EngineStatus.State.RUNNING, null);
                    }
                })
                .using(this::engineCompleted)
                .notifying(this::handleBatch)
                .build();
    }

    private void checkThenRun(Properties props) {
        try {
            endpoint.getStartCheck().check(props);
        } catch (Exception e) {
            setState(EngineStatus.State.FAILED, e.getMessage());
            LOG.error("CDC engine of {} not started: {}", endpoint.getEndpointBaseUri(), e.getMessage());
            return;
        }
        SnapshotReader snapshot = endpoint.getParallelSnapshot();
        if (snapshot != null) {
            try {
                snapshot.configure(props);
                boolean take = snapshot.needed() && OffsetSeed.absent(props);
                retake.begin(take);
                if (take) {
                    setState(EngineStatus.State.RUNNING, null);
                    snapshot.run(this::deliverSnapshotBatch);
                }
                snapshotCommitted = true;
                retake.end(); // the marker is written: the snapshot is not taken again
                if (!endpoint.isStopAfterSnapshot()) {
                    snapshot.beforeStreaming(props); // Debezium streams from the snapshot's consistent point
                }
            } catch (Exception e) {
                if (gate.isClosed()) {
                    return; // stopped while reading: the snapshot starts over at the next start
                }
                setState(EngineStatus.State.FAILED, "parallel snapshot failed: " + e.getMessage());
                LOG.error("parallel snapshot of {} failed: {}", endpoint.getEndpointBaseUri(), e.getMessage(), e);
                return;
            }
            if (endpoint.isStopAfterSnapshot()) {
                setState(EngineStatus.State.COMPLETED, null);
                LOG.info("parallel snapshot committed; the source ends as configured (mode full)");
                return;
            }
        } else {
            try {
                retake.begin(SnapshotOffsets.snapshotAhead(props));
            } catch (Exception e) {
                setState(EngineStatus.State.FAILED, "cannot read the stored offsets: " + e.getMessage());
                LOG.error("CDC engine of {} not started: cannot read the stored offsets", endpoint.getEndpointBaseUri(), e);
                return;
            }
        }
        // a stop in between sees either no engine or this one
        if (gate.unlessClosed(() -> engine = buildEngine(props))) {
            engine.run();
        }
    }

    /** A batch of a parallel snapshot through the route, as the engine's batches go; throws when it is not delivered. */
    private void deliverSnapshotBatch(List<model.ChangeEvent> events, boolean last) throws Exception {
        if (!gate.enter()) {
            throw new InterruptedException("stopping");
        }
        try {
            throughRoute(events, last, retake.headers(), "snapshot batch of " + events.size() + " rows");
            FaultPoints.reached(FaultPoints.BATCH_ACKED);
            if (last) {
                retake.sweep(headers -> throughRoute(List.of(), false, headers, "deletes of rows gone since an earlier snapshot attempt"));
                FaultPoints.reached(FaultPoints.SNAPSHOT_END_ACKED);
            }
            committed.add(events.size(), null);
        } finally {
            gate.leave();
        }
    }

    /**
     * A pause holds the next batch at the gate and keeps the engine and its source connection open (Debezium keeps the
     * connection alive meanwhile, as for a slow sink), so a resume hands that batch over at once. Closing the engine
     * instead made every resume re-read the log: PostgreSQL decodes again from its slot's restart point, often seconds
     * of WAL behind the last commit, and twice, since Debezium searches for its position before it streams.
     */
    @Override
    protected void doSuspend() throws Exception {
        gate.suspendAndAwait(30);
    }

    @Override
    protected void doResume() throws Exception {
        gate.resume();
    }

    @Override
    protected void doStop() throws Exception {
        gate.closeAndAwait(30);
        if (endpoint.getParallelSnapshot() != null) {
            endpoint.getParallelSnapshot().cancel();
        }
        if (engine != null && state != EngineStatus.State.FAILED) {
            try {
                engine.close();
            } catch (IllegalStateException alreadyShutDown) {
                // the engine ended on its own (after the snapshot, or by an error it reported through the callback)
            }
        }
        if (watcher != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownNow(watcher);
        }
        if (executor != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownGraceful(executor);
        }
        if (overlapped != null) {
            overlapped.stop();
        }
        super.doStop();
    }

    private void engineCompleted(boolean success, String message, Throwable failure) {
        if (overlapped != null && overlapped.failure() != null) {
            success = false; // the engine was closed for a batch that failed on its own thread
            failure = overlapped.failure();
        }
        if (success || state == EngineStatus.State.COMPLETED) {
            setState(EngineStatus.State.COMPLETED, null);
            LOG.info("CDC engine of {} stopped: {}", endpoint.getEndpointBaseUri(), message);
        } else {
            String reason = failure != null && failure.getMessage() != null ? failure.getMessage() : message;
            setState(EngineStatus.State.FAILED, reason);
            LOG.error("CDC engine of {} failed: {}", endpoint.getEndpointBaseUri(), reason);
        }
    }

    private void handleBatch(List<SourceRecord> records,
                             DebeziumEngine.RecordCommitter<SourceRecord> committer)
            throws InterruptedException {
        if (!gate.enter()) {
            return; // nothing marked: the engine is closing, these records are read again after the restart
        }
        boolean handedOver = false;
        try {
            if (whole != null) {
                records = whole.take(records);
                if (records.isEmpty()) {
                    return; // a transaction still open: its records wait, unmarked, for its end
                }
            }
            handedOver = deliverAndCommit(records, committer);
        } finally {
            if (!handedOver) {
                gate.leave();
            }
        }
    }

    /** Delivers and commits the batch, or hands it to the overlap (true: it leaves the gate when committed). */
    private boolean deliverAndCommit(List<SourceRecord> records,
                                     DebeziumEngine.RecordCommitter<SourceRecord> committer)
            throws InterruptedException {
        EngineBatch batch = EngineBatch.of(records, r -> r.value() != null && !r.topic().startsWith(heartbeatPrefix)
                && (whole == null || !whole.isMarker(r)), lastSnapshotRecord::test, retake.retakable());
        List<SourceRecord> changes = batch.changes();
        boolean snapshotEnds = batch.snapshotEnds();
        int sweepAt = batch.sweepAt();
        // Not a Kafka Connect RetriableException when it fails: the engine would skip the batch. Nothing is marked processed.
        if (overlapped != null) {
            if (batch.streamedOnly(retake.retakable())) { // (heartbeats only: no route, the turn passes on in order)
                overlapped.submit(changes.isEmpty() ? turn -> { } : turn -> throughRoute(changes, false,
                        Map.of(model.BatchHeaders.DELIVERY_TURN, turn), "batch of " + changes.size() + " changes"),
                        () -> commit(records, changes.size(), committer), gate::leave);
                return true;
            }
            overlapped.drain(); // a snapshot's batch goes alone, after the stream's batches before it are committed
        }
        if (sweepAt >= 0) {
            // the snapshot's rows, then the deletes of rows an earlier attempt delivered and this one did not, then the stream
            if (sweepAt > 0) {
                throughRoute(changes.subList(0, sweepAt), snapshotEnds, retake.headers(), "batch of " + sweepAt + " changes");
            }
            retake.sweep(headers -> throughRoute(List.of(), false, headers, "deletes of rows gone since an earlier snapshot attempt"));
            if (sweepAt < changes.size()) {
                throughRoute(changes.subList(sweepAt, changes.size()), false, retake.headers(),
                        "batch of " + (changes.size() - sweepAt) + " changes");
            }
        } else if (!changes.isEmpty()) {
            throughRoute(changes, snapshotEnds, retake.headers(), "batch of " + changes.size() + " changes");
        }
        FaultPoints.reached(FaultPoints.BATCH_ACKED);
        if (snapshotEnds || sweepAt >= 0) {
            FaultPoints.reached(FaultPoints.SNAPSHOT_END_ACKED);
        }
        commit(records, changes.size(), committer);
        if (snapshotEnds) {
            snapshotCommitted = true;
            if (endpoint.isStopAfterSnapshot()) {
                stopAfterSnapshot();
            }
        }
        return false;
    }

    /** Marks a delivered batch's records processed: the engine commits their offsets at once (CommitEveryBatch). */
    private void commit(List<SourceRecord> records, int changes, DebeziumEngine.RecordCommitter<SourceRecord> committer)
            throws InterruptedException {
        for (SourceRecord r : records) {
            committer.markProcessed(r);
        }
        committer.markBatchFinished();
        committed.add(changes, records.get(records.size() - 1).sourceOffset());
        if (retake.retakable() && SnapshotOffsets.done(committed.offset())) {
            retake.end();
        }
    }

    /**
     * A snapshot of empty tables emits no record, hence no "last" marker: ask Debezium's snapshot metrics (JMX) whether
     * the snapshot completed having seen no rows at all — then there is nothing left to deliver.
     */
    private void stopIfSnapshotWasEmpty(String topicPrefix) {
        if (state != EngineStatus.State.RUNNING || snapshotCommitted) {
            return;
        }
        if (new DebeziumMetrics(topicPrefix).snapshotCompletedEmpty()) {
            snapshotCommitted = true;
            stopAfterSnapshot();
        }
    }

    /**
     * The snapshot's progress from Debezium's snapshot metrics (JMX): running / completed, tables in all and still to
     * read, rows read so far. Empty when the connector has no snapshot metrics (not started, or no snapshot).
     */
    @Override
    public Map<String, Object> snapshotProgress() {
        if (endpoint.getParallelSnapshot() != null) {
            return endpoint.getParallelSnapshot().progress();
        }
        return metrics().snapshotProgress();
    }

    private void stopAfterSnapshot() {
        LOG.info("snapshot committed; stopping the source as configured (mode full)");
        state = EngineStatus.State.COMPLETED;
        closeEngine();
    }

    /** Closing the engine from its own batch thread would wait for itself: close it from another thread. */
    private void closeEngine() {
        Thread closer = new Thread(() -> {
            try {
                engine.close();
            } catch (Exception e) {
                LOG.warn("closing the CDC engine failed: {}", e.getMessage());
            }
        }, "cdc-engine-close");
        closer.setDaemon(true);
        closer.start();
    }

    private void setState(EngineStatus.State newState, String newError) {
        state = newState;
        error = newError;
        since = Instant.now();
    }

    @Override
    public EngineStatus status() {
        EngineStatus.State shown = state == EngineStatus.State.RUNNING && !reading() ? EngineStatus.State.STARTING : state;
        return committed.status(shown, error, since, snapshotCommitted);
    }

    /** Latched once the source is reading: its snapshot reads rows, or its stream is connected. */
    private volatile boolean reading;

    /**
     * Debezium reports a task started before the task has found its position (MySQL reads the binlog position in its
     * snapshot step, after start): a change committed in between is "before now". RUNNING is therefore shown only once
     * the connector's metrics say it streams (or, with a snapshot that reads rows, snapshots) — found by a kill -9 test
     * whose writer started at RUNNING and lost its first rows.
     */
    private boolean reading() {
        return reading || (reading = metrics().reading(settings()));
    }

    /** The engine's settings, built once: building them copies every option, and each status request did (a third of its CPU). */
    private volatile Properties settings;

    private Properties settings() {
        if (settings == null) {
            settings = debeziumProperties();
        }
        return settings;
    }

    private DebeziumMetrics metrics() {
        return new DebeziumMetrics(settings().getProperty("topic.prefix"));
    }
}
