package sources;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * What every parallel snapshot bean has, whatever its database: the properties a route sets ({@code threads},
 * {@code chunkRows}, {@code batchesInFlight}), the marker file that records a completed snapshot, cancellation, the
 * status document's {@code snapshot} and the reading itself ({@link ParallelReads}). A database adds how its readers
 * share one view, what its chunks are, and where streaming goes on ({@link #take}).
 */
public abstract class ParallelSnapshot implements SnapshotReader {

    private int threads = 4;
    private int chunkRows = 100_000;
    private int batchesInFlight = 1;

    private volatile Path marker;
    private final AtomicLong rowsRead = new AtomicLong();
    private final AtomicInteger tablesRemaining = new AtomicInteger();
    private volatile int tableCount;
    private volatile boolean running;
    private volatile boolean cancelled;

    /** Connections reading at once (default 4). */
    public void setThreads(int threads) {
        this.threads = Math.max(1, threads);
    }

    /** About how many rows one chunk (a range of pages or of keys) holds (default 100,000). */
    public void setChunkRows(int chunkRows) {
        this.chunkRows = Math.max(1, chunkRows);
    }

    /**
     * How many batches may go through the route at once (default 1: one after the other). More than one keeps the sink
     * busy while an earlier batch waits for its acknowledgements; only for a route whose steps and sink take concurrent
     * batches — a snapshot's rows are distinct keys, and its one commit follows the last batch, so their order does not
     * matter.
     */
    public void setBatchesInFlight(int batchesInFlight) {
        this.batchesInFlight = Math.max(1, batchesInFlight);
    }

    protected int threads() {
        return threads;
    }

    protected int chunkRows() {
        return chunkRows;
    }

    protected long rowsRead() {
        return rowsRead.get();
    }

    /** The endpoint this bean is given to, for the error when it was not configured by one. */
    protected abstract String endpoint();

    /** Reads the tables (calling {@link #tables} once they are known and {@link #read} for the rows), then commits. */
    protected abstract void take(BatchHandler handler) throws Exception;

    /** More entries of the status document's {@code snapshot} (none by default). */
    protected void moreProgress(Map<String, Object> progress) {
    }

    /** The marker beside the engine's offsets file ({@code offset.storage.file.filename}). */
    protected void markerBeside(String offsetsFile) {
        marker = Path.of(offsetsFile).toAbsolutePath().getParent().resolve("snapshot.done");
    }

    /** Debezium's include regexes (comma-separated, whole name, any case). */
    public static List<Pattern> includePatterns(String list) {
        return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .map(s -> Pattern.compile(s, Pattern.CASE_INSENSITIVE)).toList();
    }

    /** Whether the snapshot is still to be taken (no marker). */
    @Override
    public boolean needed() {
        if (marker == null) {
            throw new IllegalStateException("the parallel snapshot is not configured: give it to a " + endpoint()
                    + " endpoint (parallelSnapshot=#bean:NAME)");
        }
        return !Files.exists(marker);
    }

    @Override
    public final void run(BatchHandler handler) throws Exception {
        running = true;
        rowsRead.set(0);
        try {
            take(handler);
        } finally {
            running = false;
        }
    }

    /** Stops the readers; {@link #run} then throws. */
    @Override
    public void cancel() {
        cancelled = true;
    }

    /** running, completed, tables, tablesRemaining, rowsRead, threads and the database's own — the status document's {@code snapshot}. */
    @Override
    public Map<String, Object> progress() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("running", running);
        p.put("completed", marker != null && !needed());
        p.put("tables", tableCount);
        p.put("tablesRemaining", tablesRemaining.get());
        p.put("rowsRead", rowsRead.get());
        p.put("threads", threads);
        moreProgress(p);
        return p;
    }

    /** How many tables the snapshot reads. */
    protected void tables(int count) {
        tableCount = count;
        tablesRemaining.set(count);
    }

    /** Reads the chunks with the readers (which share one view) and delivers their rows in batches of {@code batchSize}. */
    protected <C> void read(String pipeline, int batchSize, List<Connection> readers, List<C> chunks, Function<C, Object> tableOf,
                            ParallelReads.ChunkReader<C> reader, BatchHandler handler) throws Exception {
        new ParallelReads<C>(pipeline, batchSize, () -> cancelled, rowsRead)
                .run(readers, chunks, tableOf, reader, handler, batchesInFlight, tablesRemaining);
    }

    /** Writes the marker — {@code what}, then the rows read: the snapshot is not taken again. */
    protected void marked(String what) throws java.io.IOException {
        state.AtomicFiles.write(marker, (what + ": " + rowsRead.get() + " rows\n").getBytes(StandardCharsets.UTF_8));
    }
}
