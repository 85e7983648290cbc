package sources;

import faults.FaultPoints;
import model.ChangeEvent;
import org.apache.camel.Endpoint;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A message-queue source (docs/sources/queues.md): one thread polls the queue client, reads the poll's messages back
 * into changes ({@link QueueMessages}), hands them to the route as one batch and commits exactly the polled offsets only
 * after the route completed the batch — a crash before the commit reads the same messages again, none is skipped. A batch
 * the route fails after its retries stops the source FAILED with its offsets where they were; a client that fails
 * (broker away, commit refused) is closed and opened again with backoff, reading again from the committed offsets.
 * The client's own polling stays in the subclass (Kafka, RocketMQ).
 */
public abstract class QueueSourceConsumer extends BatchConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(QueueSourceConsumer.class);

    protected final String name;
    private final QueueMessages messages;
    private ExecutorService executor;
    private volatile boolean stopping;
    private volatile EngineStatus.State state = EngineStatus.State.STARTING;
    private volatile String error;
    private volatile Instant since = Instant.now();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong changes = new AtomicLong();
    private final AtomicLong largest = new AtomicLong();
    /** queue → next offset to read, as committed. */
    private final Map<String, Long> committed = new java.util.concurrent.ConcurrentSkipListMap<>();

    protected QueueSourceConsumer(Endpoint endpoint, Processor processor, String name, QueueMessages messages) {
        super(endpoint, processor);
        this.name = name;
        this.messages = messages;
    }

    /** Connects the client and subscribes; reading resumes at the group's committed offsets. */
    protected abstract void open() throws Exception;

    /** The next messages, in order per queue; empty when none arrived within a short wait. */
    protected abstract List<QueueMessage> poll() throws Exception;

    /** Commits, synchronously, the offsets after these messages (every one was delivered). */
    protected abstract void commit(List<QueueMessage> delivered) throws Exception;

    /** Closes the client without committing anything. */
    protected abstract void disconnect();

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        stopping = false;
        setState(EngineStatus.State.STARTING, null);
        executor = getEndpoint().getCamelContext().getExecutorServiceManager().newSingleThreadExecutor(this, "queue-source");
        executor.submit(this::run);
    }

    @Override
    protected void doStop() throws Exception {
        stopping = true; // the loop ends after the batch in the route, if any: polls wait at most half a second
        if (executor != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownGraceful(executor);
        }
        if (state == EngineStatus.State.RUNNING || state == EngineStatus.State.STARTING) {
            setState(EngineStatus.State.COMPLETED, null);
        }
        super.doStop();
    }

    private void setState(EngineStatus.State s, String message) {
        state = s;
        error = message;
        since = Instant.now();
    }

    private void run() {
        long backoff = 500;
        while (!stopping) {
            try {
                open();
                messages.reset();
                setState(EngineStatus.State.RUNNING, null);
                backoff = 500;
                while (!stopping) {
                    List<QueueMessage> polled = poll();
                    if (polled.isEmpty()) {
                        continue;
                    }
                    if (!deliver(polled)) {
                        return; // FAILED, offsets untouched
                    }
                    FaultPoints.reached(FaultPoints.BATCH_ACKED);
                    commit(polled);
                    for (QueueMessage m : polled) {
                        committed.put(m.topic() + ":" + m.queue(), m.offset() + 1);
                    }
                }
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                    return;
                }
                // the broker is away or refused a commit: read again from the committed offsets after a pause
                error = e.getClass().getSimpleName() + ": " + e.getMessage();
                LOG.warn("{}: the queue client failed ({}); reconnecting in {} ms", name, error, backoff);
                disconnect();
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoff = Math.min(backoff * 2, 30_000);
            } finally {
                if (stopping || state == EngineStatus.State.FAILED) {
                    disconnect();
                }
            }
        }
    }

    /** The polled messages' changes through the route as one batch; false when the route failed it. */
    private boolean deliver(List<QueueMessage> polled) {
        List<ChangeEvent> events = new ArrayList<>();
        for (QueueMessage m : polled) {
            messages.read(m, events);
        }
        if (events.isEmpty()) {
            return true; // tombstones, halves of split updates, dead letters: commit them all the same
        }
        Exception failure = throughRoute(events, false);
        if (failure != null) {
            setState(EngineStatus.State.FAILED, "batch of " + events.size() + " changes not delivered: " + failure.getMessage());
            LOG.error("{}: {}", name, error);
            return false;
        }
        batches.incrementAndGet();
        changes.addAndGet(events.size());
        largest.accumulateAndGet(events.size(), Math::max);
        return true;
    }

    @Override
    public EngineStatus status() {
        return new EngineStatus(state, error, since, new LinkedHashMap<>(committed), false, batches.get(), changes.get(), largest.get());
    }

    @Override
    public Map<String, Object> snapshotProgress() {
        return Map.of();
    }
}
