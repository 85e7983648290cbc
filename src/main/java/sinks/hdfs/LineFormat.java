package sinks.hdfs;

import model.ChangeEvent;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import sinks.InOrderChunks;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Formats of one record per line (JSON lines, CSV): the temporary file already has the final format, so publishing is
 * a rename, and recovery cuts a torn last line off (truncate) before the rename.
 */
abstract class LineFormat implements PartFormat {

    /** The file's first line(s) for these columns; empty for none. */
    abstract byte[] header(Map<String, String> columns);

    /** Whether {@code b} may end a record, given the bytes before it ({@link #recover} scans the file once). */
    abstract RecordEnds recordEnds();

    /** Tracks where records end while a file is scanned byte by byte. */
    interface RecordEnds {
        boolean endsRecord(int b);
    }

    /**
     * Writes the records of {@code events} to {@code out}, each ending with its line terminator. Called from several
     * threads at once for different events (a format keeps no state).
     */
    abstract void encode(List<ChangeEvent> events, Map<String, String> columns, OutputStream out) throws IOException;

    /** Events per chunk: the unit of work of {@link #encodeInOrder}. */
    static final int CHUNK = 256;

    /**
     * Encodes a large batch in chunks on every core ({@link InOrderChunks}) and writes the chunks in order. A chunk that
     * fails to encode is encoded again event by event, and only the events that fail alone are refused.
     */
    private int encodeInOrder(List<ChangeEvent> events, Map<String, String> columns, OutputStream out, Refused refused) throws IOException {
        java.util.concurrent.atomic.AtomicInteger refusals = new java.util.concurrent.atomic.AtomicInteger();
        try {
            InOrderChunks.run(events, CHUNK, chunk -> {
                // handed on as it is (writeTo), not copied out
                ByteArrayOutputStream bytes = new ByteArrayOutputStream(chunk.size() * 384);
                try {
                    encode(chunk, columns, bytes);
                } catch (RuntimeException someEvent) {
                    bytes.reset();
                    for (ChangeEvent event : chunk) {
                        ByteArrayOutputStream one = new ByteArrayOutputStream(512);
                        try {
                            encode(List.of(event), columns, one);
                            one.writeTo(bytes);
                        } catch (RuntimeException cannotHold) {
                            refused.refuse(event, cannotHold);
                            refusals.incrementAndGet();
                        }
                    }
                }
                return bytes;
            }, bytes -> bytes.writeTo(out));
            return refusals.get();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    @Override
    public PartWriter create(FileSystem fs, Path temp, String table, Map<String, String> columns) throws IOException {
        FSDataOutputStream out = fs.create(temp, false);
        out.write(header(columns));
        return new PartWriter(out) {
            @Override
            protected int append(List<ChangeEvent> events, Refused refused) throws IOException {
                return encodeInOrder(events, columns, out, refused);
            }

            @Override
            void publish(FileSystem fs, Path target) throws IOException {
                out.close();
                Parts.rename(fs, temp, target);
            }

            @Override
            void abandon() {
                Parts.closeQuietly(out);
            }
        };
    }

    @Override
    public long recover(FileSystem fs, Path temp, Path target) throws IOException {
        Parts.recoverLease(fs, temp);
        long length = fs.getFileStatus(temp).getLen();
        long end = 0;
        long records = 0;
        RecordEnds ends = recordEnds();
        try (FSDataInputStream raw = fs.open(temp); InputStream in = new BufferedInputStream(raw, 1 << 16)) {
            long at = 0;
            for (int b = in.read(); b >= 0; b = in.read()) {
                at++;
                if (ends.endsRecord(b)) {
                    end = at;
                    records++;
                }
            }
        }
        records -= headerLines();
        if (records <= 0) {
            fs.delete(temp, false);
            return 0;
        }
        if (end < length) {
            Parts.truncate(fs, temp, end);
        }
        Parts.rename(fs, temp, target);
        return records;
    }

    /** Lines of {@link #header} (not records). */
    int headerLines() {
        return 0;
    }
}
