package formats;

import model.ChangeEvent;

import java.util.List;

/**
 * Reads one format's messages back into canonical change events — the other half of {@link ChangeEventFormat}, for
 * sources that read a message queue. One reader per partition or queue: a format that writes a change as several
 * messages (DataWorks' split update) is read with state, in the order the messages were written.
 */
public interface ChangeEventReader {

    /**
     * The changes one message holds, in order; none for a message that holds no change of its own (DataWorks'
     * {@code UPDATE_BEFOR}, kept until its {@code UPDATE_AFTER}) or a Kafka tombstone.
     *
     * @param key   the message key (the sharding columns as a JSON object, as Tributary's sinks write it), or null
     * @param value the message body
     * @throws IllegalArgumentException a message that is not in this format, with the reason
     */
    List<ChangeEvent> read(byte[] key, byte[] value);
}
