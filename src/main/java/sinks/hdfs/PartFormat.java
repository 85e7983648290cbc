package sinks.hdfs;

import model.ChangeEvent;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * One file format of the HDFS sink: how a part file is written under its temporary name, published under its final
 * name, and recovered when a writer died (crash) or was abandoned (failed batch) before it published.
 */
interface PartFormat {

    /** The final file's extension, e.g. {@code jsonl}. */
    String extension();

    /** Starts a part at {@code temp} for rows of {@code columns} (name → source type, the file's schema). */
    PartWriter create(FileSystem fs, Path temp, String table, Map<String, String> columns) throws IOException;

    /**
     * Publishes under {@code target} the complete records a dead writer left in {@code temp} (a torn last record is
     * cut off), or deletes {@code temp} when it holds none. Returns the records published.
     */
    long recover(FileSystem fs, Path temp, Path target) throws IOException;

    /** Releases what the format holds for all its parts (threads); called when the sink stops. */
    default void close() {
    }

    /** Takes the events a file cannot hold, with the reason; called from several threads at once. */
    interface Refused {
        void refuse(ChangeEvent event, RuntimeException cause);
    }

    /** A part being written to its temporary file's stream. One thread at a time. */
    abstract class PartWriter {

        protected final FSDataOutputStream out;
        private long records;

        protected PartWriter(FSDataOutputStream out) {
            this.out = out;
        }

        /**
         * Appends the records of these events, in order; an event whose values the file cannot hold (a conversion
         * fails for it alone) is left out and handed to {@code refused} — nothing of it reaches the file.
         */
        final void write(List<ChangeEvent> events, Refused refused) throws IOException {
            records += events.size() - append(events, refused);
        }

        /** Returns how many events it refused. */
        protected abstract int append(List<ChangeEvent> events, Refused refused) throws IOException;

        /** Hands what the format buffers to the stream, whole records only (before each sync). */
        protected void flushRecords() throws IOException {
        }

        /** Makes everything written so far durable: hflush (data nodes' memory) or hsync (their disks). */
        final void sync(boolean hsync) throws IOException {
            flushRecords();
            if (hsync) {
                out.hsync();
            } else {
                out.hflush();
            }
        }

        final long bytes() {
            return out.size();
        }

        final long records() {
            return records;
        }

        /** Closes the part and publishes it under {@code target} in one atomic rename. */
        abstract void publish(FileSystem fs, Path target) throws IOException;

        /** Closes quietly after a failure; the temporary file stays for {@link #recover}. */
        abstract void abandon();
    }
}
