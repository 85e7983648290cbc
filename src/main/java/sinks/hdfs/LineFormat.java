package sinks.hdfs;

import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import model.ChangeEvent;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;

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
     * Encodes a large batch in chunks on the common pool <em>and</em> on this thread, which writes the chunks in order
     * as they are ready: encoding (most of a line format's work) runs on every core and overlaps the file system's.
     * This thread claims a chunk to encode whenever the next one to write is not ready — waiting idle on the pool cost
     * a third of the throughput on two cores, where the common pool has one thread.
     */
    private void encodeInOrder(List<ChangeEvent> events, Map<String, String> columns, OutputStream out) throws IOException {
        int count = (events.size() + CHUNK - 1) / CHUNK;
        if (count < 2) {
            encode(events, columns, out);
            return;
        }
        List<CompletableFuture<byte[]>> chunks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            chunks.add(new CompletableFuture<>());
        }
        AtomicInteger unclaimed = new AtomicInteger();
        // encodes chunks until none is left to claim; returns whether it encoded one
        java.util.function.BooleanSupplier encodeOne = () -> {
            int i = unclaimed.getAndIncrement();
            if (i >= count) {
                return false;
            }
            try {
                ByteArrayBuilder bytes = new ByteArrayBuilder(CHUNK * 512);
                encode(events.subList(i * CHUNK, Math.min(events.size(), (i + 1) * CHUNK)), columns, bytes);
                chunks.get(i).complete(bytes.toByteArray());
            } catch (IOException | RuntimeException e) {
                chunks.get(i).completeExceptionally(e);
            }
            return true;
        };
        int helpers = Math.min(count - 1, ForkJoinPool.getCommonPoolParallelism());
        for (int h = 0; h < helpers; h++) {
            ForkJoinPool.commonPool().execute(() -> {
                while (encodeOne.getAsBoolean()) {
                    // keep claiming
                }
            });
        }
        for (CompletableFuture<byte[]> chunk : chunks) {
            while (!chunk.isDone() && encodeOne.getAsBoolean()) {
                // this thread encodes too rather than wait
            }
            try {
                out.write(chunk.join());
            } catch (CompletionException e) {
                unclaimed.set(count); // stop the helpers: the batch fails as a whole
                if (e.getCause() instanceof IOException io) {
                    throw io;
                }
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }
    }

    @Override
    public PartWriter create(FileSystem fs, Path temp, String table, Map<String, String> columns) throws IOException {
        FSDataOutputStream out = fs.create(temp, false);
        out.write(header(columns));
        return new PartWriter(out) {
            @Override
            protected void append(List<ChangeEvent> events) throws IOException {
                encodeInOrder(events, columns, out);
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
