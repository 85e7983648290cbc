package sources;

import formats.ChangeEventReader;
import formats.Formats;
import model.ChangeEvent;
import model.SourcePosition;
import sinks.DeadLetters;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A queue source's messages back into canonical changes: one reader per partition or queue (a format may read with
 * state, in the order the messages were written), each change positioned at its message ({@code topic:queue:offset},
 * with {@code :i} when a message holds several), and a message that cannot be read kept as a dead letter with its
 * coordinates and the reason, so the source goes on.
 */
public final class QueueMessages {

    private final String format;
    private final String pipeline;
    private final String connector;
    private final Supplier<DeadLetters> deadLetters;
    private final Map<String, ChangeEventReader> readers = new HashMap<>();

    /**
     * @param connector what the changes' positions name as their source ({@code kafka}, {@code rocketmq})
     */
    public QueueMessages(String format, String pipeline, String connector, Supplier<DeadLetters> deadLetters) {
        this.format = format;
        this.pipeline = pipeline;
        this.connector = connector;
        this.deadLetters = deadLetters;
        Formats.reader(format, pipeline); // an unknown format fails here, at start, not at the first message
    }

    /** Appends the changes of {@code message} to {@code out}; an unreadable message becomes a dead letter. */
    public void read(QueueMessage message, List<ChangeEvent> out) {
        String unit = message.topic() + ":" + message.queue();
        ChangeEventReader reader = readers.computeIfAbsent(unit, u -> Formats.reader(format, pipeline));
        List<ChangeEvent> changes;
        try {
            changes = reader.read(message.key(), message.value());
        } catch (RuntimeException e) {
            deadLetters.get().addUnreadable(message.coordinates(), format,
                    e.getClass().getSimpleName() + ": " + e.getMessage(), message.key(), message.value());
            return;
        }
        for (int i = 0; i < changes.size(); i++) {
            ChangeEvent c = changes.get(i);
            SourcePosition p = c.position();
            String at = changes.size() == 1 ? message.coordinates() : message.coordinates() + ":" + i;
            // this pipeline's change now, positioned where the message is (the upstream position may repeat across rows)
            out.add(new ChangeEvent(pipeline, c.op(), c.table(), c.before(), c.after(), c.primaryKey(), c.columns(),
                    new SourcePosition(connector, at, p.txId(), p.seqInTx(), p.commitTs(), p.snapshot()), c.ddl()));
        }
    }

    /** Forgets the readers' state: the messages are read again from the committed offsets (a failed batch, a rebalance). */
    public void reset() {
        readers.clear();
    }
}
