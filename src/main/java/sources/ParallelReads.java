package sources;

import model.ChangeEvent;
import model.Op;
import model.Row;
import model.SourcePosition;
import model.TableId;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * The part every parallel snapshot shares, whatever its database: one thread per connection takes chunks from a common
 * list and turns their rows into canonical READ events in batches; the batches wait in a queue of {@code 2 × threads}
 * (memory stays bounded whatever the table's size) and the calling thread hands them to the route — up to
 * {@code batchesInFlight} at a time, the last one alone after every other was delivered, so that it can end the
 * snapshot. What a chunk is, and how its rows are selected, is the database's ({@link ChunkReader}).
 *
 * @param <C> a chunk: a range of a table
 */
public final class ParallelReads<C> {

    /** Selects a chunk's rows on a reader's connection (which sees the snapshot) and hands them to {@link #rows}. */
    public interface ChunkReader<C> {
        void read(Connection connection, C chunk, ParallelReads<C> out) throws Exception;
    }

    /** Reads column {@code i} of the current row; null: {@link JdbcValues}' reader. */
    public interface ColumnReaders {
        JdbcValues.Reader special(ResultSetMetaData md, int i) throws SQLException;
    }

    private final String pipeline;
    private final int batchSize;
    private final BooleanSupplier cancelled;
    private final AtomicLong rowsRead;
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final Map<List<String>, Row.Columns> columnsByNames = new ConcurrentHashMap<>();
    private BlockingQueue<List<ChangeEvent>> batches;

    /**
     * @param cancelled true once the pipeline stops: the readers and the hand-over end with an exception
     * @param rowsRead  counts every row queued (for the status)
     */
    public ParallelReads(String pipeline, int batchSize, BooleanSupplier cancelled, AtomicLong rowsRead) {
        this.pipeline = pipeline;
        this.batchSize = batchSize;
        this.cancelled = cancelled;
        this.rowsRead = rowsRead;
    }

    /**
     * Reads every chunk with the given connections and delivers the batches; returns after the last was delivered.
     *
     * @param tableOf         a chunk's table, to count the tables still being read
     * @param tablesRemaining set to the number of tables with chunks, counted down as each one's last chunk is read
     */
    public void run(List<Connection> readers, List<C> chunks, Function<C, Object> tableOf, ChunkReader<C> reader,
                    SnapshotReader.BatchHandler handler, int batchesInFlight, AtomicInteger tablesRemaining) throws Exception {
        ConcurrentLinkedQueue<C> todo = new ConcurrentLinkedQueue<>(chunks);
        Map<Object, AtomicInteger> chunksLeft = new LinkedHashMap<>();
        for (C c : chunks) {
            chunksLeft.computeIfAbsent(tableOf.apply(c), t -> new AtomicInteger()).incrementAndGet();
        }
        tablesRemaining.set(chunksLeft.size());
        batches = new ArrayBlockingQueue<>(2 * readers.size());
        AtomicInteger working = new AtomicInteger(readers.size());
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < readers.size(); i++) {
            Connection c = readers.get(i);
            Thread t = new Thread(() -> {
                try {
                    C chunk;
                    while ((chunk = todo.poll()) != null && failure.get() == null && !cancelled.getAsBoolean()) {
                        reader.read(c, chunk, this);
                        if (chunksLeft.get(tableOf.apply(chunk)).decrementAndGet() == 0) {
                            tablesRemaining.decrementAndGet();
                        }
                    }
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                } finally {
                    working.decrementAndGet();
                }
            }, "snapshot-" + pipeline + "-" + i);
            t.setDaemon(true);
            workers.add(t);
            t.start();
        }
        BatchesInFlight handing = new BatchesInFlight(handler, batchesInFlight, failure, "snapshot-" + pipeline + "-deliver-");
        List<ChangeEvent> held = null;
        try {
            while (true) {
                List<ChangeEvent> next = batches.poll(100, TimeUnit.MILLISECONDS);
                if (failure.get() != null) {
                    throw failure.get();
                }
                if (cancelled.getAsBoolean()) {
                    throw new InterruptedException("snapshot of " + pipeline + " cancelled");
                }
                if (next == null) {
                    if (working.get() == 0 && batches.isEmpty()) {
                        break;
                    }
                    continue;
                }
                if (held != null) {
                    handing.deliver(held);
                }
                held = next;
            }
            handing.awaitAll(); // the last batch ends the snapshot: every other one is acknowledged first
            if (held != null) {
                handler.deliver(held, true);
            }
        } finally {
            handing.close();
            failure.compareAndSet(null, new InterruptedException("snapshot of " + pipeline + " ended"));
            for (Thread t : workers) {
                t.interrupt();
                t.join(10_000);
            }
        }
    }

    /** A chunk's rows as READ events of {@code table}, queued in batches (waiting while the queue is full). */
    public void rows(ResultSet rs, TableId table, List<String> primaryKey, SourcePosition position, ColumnReaders special) throws Exception {
        ResultSetMetaData md = rs.getMetaData();
        int n = md.getColumnCount();
        String[] names = new String[n];
        JdbcValues.Reader[] readers = new JdbcValues.Reader[n];
        Map<String, String> types = new LinkedHashMap<>();
        for (int i = 1; i <= n; i++) {
            names[i - 1] = md.getColumnLabel(i);
            JdbcValues.Reader own = special == null ? null : special.special(md, i);
            readers[i - 1] = own != null ? JdbcValues.nullable(own) : JdbcValues.reader(md, i);
            types.put(names[i - 1], JdbcValues.sourceType(md, i));
        }
        // one Columns per table for every chunk: encoders key their per-table work on it
        Row.Columns columns = columnsByNames.computeIfAbsent(List.of(names), Row.Columns::of);
        // one types map for the chunk's events, as the streaming side shares one per table version: sinks compare
        // an event's columns with the previous one's by identity first
        Map<String, String> sharedTypes = java.util.Collections.unmodifiableMap(types);
        List<ChangeEvent> batch = new ArrayList<>(batchSize);
        while (rs.next()) {
            Object[] values = new Object[n];
            for (int i = 1; i <= n; i++) {
                values[i - 1] = readers[i - 1].read(rs, i);
            }
            batch.add(ChangeEvent.row(pipeline, Op.READ, table, null, columns.row(values), primaryKey, sharedTypes, position));
            if (batch.size() == batchSize) {
                put(batch);
                batch = new ArrayList<>(batchSize);
            }
        }
        if (!batch.isEmpty()) {
            put(batch);
        }
    }

    private void put(List<ChangeEvent> batch) throws InterruptedException {
        while (!batches.offer(batch, 100, TimeUnit.MILLISECONDS)) {
            if (cancelled.getAsBoolean() || failure.get() != null) {
                throw new InterruptedException("snapshot of " + pipeline + " stopped");
            }
        }
        rowsRead.addAndGet(batch.size());
    }
}
