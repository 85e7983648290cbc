package sinks;

import formats.ChangeEventFormat;
import formats.StreamMarker;
import model.ChangeEvent;
import model.Op;
import model.TableId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The marker messages of a message sink's format ({@link StreamMarker}), sent beside the changes and acknowledged like
 * them: a table's {@code SNAPSHOT_START} before the first batch that holds its snapshot rows is sent, every started
 * table's {@code SNAPSHOT_END} after the batch that ends the snapshot was acknowledged (both before that batch's offsets
 * are committed: a crash repeats them with the rows, never loses them); and, when the format has heartbeats and an
 * interval is set, a {@code HEARTBEAT} to every topic the sink knows whenever nothing was sent for that long, at the
 * commit time of the last change delivered. On a topic of several partitions, "before" and "after" are in time: every
 * snapshot row is written after its table's start marker was acknowledged, the end marker after every row was.
 */
public final class StreamMarkers implements AutoCloseable {

    /** Sends one marker message and returns when the destination acknowledged it. */
    public interface Sender {
        void send(String topic, byte[] key, byte[] value) throws Exception;
    }

    private static final Logger LOG = LoggerFactory.getLogger(StreamMarkers.class);

    private final ChangeEventFormat format;
    private final Function<TableId, String> topicOf;
    private final Sender sender;
    private final boolean snapshotMarkers;
    private final boolean heartbeatFormat;
    private final Set<TableId> started = new LinkedHashSet<>();
    private final Set<String> topics = new LinkedHashSet<>();
    private ScheduledExecutorService heartbeats;
    private volatile long lastSentNanos = System.nanoTime();
    private volatile Instant reached = Instant.now();

    /**
     * @param knownTopics topics a heartbeat goes to before any change was sent (the pipeline's literal topics)
     */
    public StreamMarkers(ChangeEventFormat format, Function<TableId, String> topicOf, Collection<String> knownTopics, Sender sender) {
        this.format = format;
        this.topicOf = topicOf;
        this.sender = sender;
        this.snapshotMarkers = format.marker(StreamMarker.SNAPSHOT_START, new TableId("d", null, "t"), Instant.EPOCH) != null;
        this.heartbeatFormat = format.marker(StreamMarker.HEARTBEAT, null, Instant.EPOCH) != null;
        topics.addAll(knownTopics);
    }

    /** Whether the format writes any marker for these settings (else the sink needs none of this). */
    public static boolean wanted(ChangeEventFormat format, int heartbeatIntervalMs) {
        return format.marker(StreamMarker.SNAPSHOT_START, new TableId("d", null, "t"), Instant.EPOCH) != null
                || heartbeatIntervalMs > 0 && format.marker(StreamMarker.HEARTBEAT, null, Instant.EPOCH) != null;
    }

    /** Heartbeats every {@code intervalMs} of silence, from now until {@link #close}. */
    public synchronized void startHeartbeats(String name, int intervalMs) {
        if (intervalMs <= 0 || !heartbeatFormat) {
            return;
        }
        heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tributary-heartbeat-" + name);
            t.setDaemon(true);
            return t;
        });
        long tick = Math.max(100, intervalMs / 4);
        heartbeats.scheduleWithFixedDelay(() -> heartbeatIfIdle(intervalMs), tick, tick, TimeUnit.MILLISECONDS);
    }

    /** Before a batch is sent: the start marker of each table whose snapshot rows appear for the first time. */
    public synchronized void beforeDelivery(java.util.List<ChangeEvent> events) throws Exception {
        lastSentNanos = System.nanoTime();
        if (!snapshotMarkers) {
            return;
        }
        for (ChangeEvent e : events) {
            if (e.op() == Op.READ && !started.contains(e.table())) {
                send(StreamMarker.SNAPSHOT_START, e.table(), e.position().commitTs());
                started.add(e.table());
            }
        }
    }

    /** A batch was acknowledged: the position it reached, the topics it wrote. */
    public synchronized void delivered(java.util.List<ChangeEvent> events) {
        lastSentNanos = System.nanoTime();
        Instant last = events.get(events.size() - 1).position().commitTs();
        if (last != null) {
            reached = last;
        }
        if (heartbeatFormat) {
            TableId previous = null;
            for (ChangeEvent e : events) {
                if (!e.table().equals(previous)) {
                    topics.add(topicOf.apply(e.table()));
                    previous = e.table();
                }
            }
        }
    }

    /** The batch that ends the snapshot was acknowledged: every started table's end marker. */
    public synchronized void snapshotEnded() throws Exception {
        for (TableId table : started) {
            send(StreamMarker.SNAPSHOT_END, table, reached);
        }
        started.clear();
    }

    private synchronized void heartbeatIfIdle(long intervalMs) {
        if (System.nanoTime() - lastSentNanos < TimeUnit.MILLISECONDS.toNanos(intervalMs)) {
            return;
        }
        byte[] beat = format.marker(StreamMarker.HEARTBEAT, null, reached);
        for (String topic : topics) {
            try {
                sender.send(topic, "heartbeat".getBytes(StandardCharsets.UTF_8), beat);
            } catch (Exception e) {
                LOG.warn("heartbeat to {} not sent: {}", topic, e.getMessage()); // the next one tries again
            }
        }
        lastSentNanos = System.nanoTime();
    }

    private void send(StreamMarker kind, TableId table, Instant at) throws Exception {
        sender.send(topicOf.apply(table), table.qualifiedName().getBytes(StandardCharsets.UTF_8), format.marker(kind, table, at));
    }

    @Override
    public synchronized void close() {
        if (heartbeats != null) {
            heartbeats.shutdownNow();
            heartbeats = null;
        }
    }
}
