package sources;

import model.ChangeEvent;

import java.util.List;
import java.util.Map;

/**
 * A snapshot taken by the source itself instead of Debezium (the PostgreSQL and binlog parallel snapshots), after which the engine
 * streams from the consistent point the reader recorded. {@link CdcConsumer} runs it and delivers its batches.
 */
public interface SnapshotReader {

    /**
     * Receives the snapshot's batches: at most the configured number at a time, from the calling thread and helpers;
     * {@code last} marks the final one, delivered alone after every other batch was delivered.
     */
    interface BatchHandler {
        void deliver(List<ChangeEvent> batch, boolean last) throws Exception;
    }

    /**
     * Called with the engine's properties (after the start check, before {@link #needed}): the connection, tables and
     * offsets folder the reader shares with the engine that streams after it.
     */
    default void configure(java.util.Properties engine) {
    }

    /** False when a completed snapshot is on record (the engine just streams). */
    boolean needed();

    /** Reads every table and hands the rows on in batches; returns when the last batch was delivered. */
    void run(BatchHandler handler) throws Exception;

    /**
     * Sets the engine up to stream from where the snapshot's consistent point is (after {@link #run}, or when a completed
     * snapshot is on record): by default Debezium's {@code snapshot.mode=no_data}.
     */
    default void beforeStreaming(java.util.Properties engine) throws Exception {
        engine.setProperty("snapshot.mode", "no_data");
    }

    /** Stops a running snapshot (the pipeline is stopping); {@link #run} then ends with an exception. */
    void cancel();

    /** Tables and rows so far, for status. */
    Map<String, Object> progress();
}
