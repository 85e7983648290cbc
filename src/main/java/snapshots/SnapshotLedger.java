package snapshots;

import model.ChangeEvent;
import model.Op;
import model.SourcePosition;
import model.TableId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Makes a snapshot taken again converge: the keys of every row delivered while the snapshot's end is not yet committed
 * at the source, so that when a crash makes the source take the snapshot again, the rows delivered before and absent
 * from the new snapshot (deleted meanwhile, or moved out of the row filter) get a delete — the destination then holds
 * exactly the new snapshot, whatever the sink (docs/reliability.md, "A snapshot taken again").
 * <p>
 * On disk, under the pipeline's data directory: {@code tables} (one JSON line per table shape: name, key columns, extra
 * columns a delete needs such as sharding columns, their types) and one folder per snapshot attempt holding the keys in
 * 64 bucket files ({@code idx TAB value TAB ...}, see {@link LedgerValues}). Keys are written and flushed to the OS
 * before the batch reaches the sink, so a kill -9 never leaves a delivered key out; a key recorded but not delivered
 * costs one delete of a row the destination does not have. The sweep compares bucket by bucket, so memory holds one
 * 64th of a table's keys. Tables without a primary key are not recorded: their rows have no identity to delete by.
 * <p>
 * Life cycle, driven by the source: {@link #begin} when a snapshot may be taken (the source has not committed a
 * snapshot's end), {@link #record} per delivered batch, {@link #prepareSweep} + {@link #nextSweepChunk} after the new
 * snapshot's last row, {@link #completed} once the snapshot's end is committed.
 */
public final class SnapshotLedger {

    /** Header: true on a batch delivered while the snapshot's end is not committed — its keys go into the ledger. */
    public static final String RETAKABLE = "TributarySnapshotRetakable";
    /** Header: true on an exchange that asks the ledger step for the next chunk of the retake's deletes. */
    public static final String SWEEP = "TributarySnapshotSweep";

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotLedger.class);
        private static final int BUCKETS = 64;

    private final Path dir;
    private final String pipeline;
    private final int chunk;

    private final LedgerShapes shapes;
    private int attempt = -1;
    private final BufferedWriter[] buckets = new BufferedWriter[BUCKETS];
    private BufferedReader sweep;
    private String sweepPosition;

    /**
     * @param dir             the ledger's folder (created on demand)
     * @param shardingColumns per table, columns a delete must carry beside the key (the message key / queue selector)
     * @param chunk           deletes per sweep batch (the pipeline's batch size)
     */
    public SnapshotLedger(Path dir, String pipeline, Function<TableId, List<String>> shardingColumns, int chunk) {
        this.dir = dir;
        this.pipeline = pipeline;
        this.shapes = new LedgerShapes(dir.resolve("tables"), shardingColumns);
        this.chunk = chunk;
    }

    /** A snapshot may be taken (again): a new attempt; what earlier attempts recorded stays until {@link #completed}. */
    public synchronized void begin() {
        try {
            closeFiles();
            Files.createDirectories(dir);
            shapes.load();
            int last = attempts().stream().mapToInt(SnapshotLedger::attemptNumber).max().orElse(0);
            attempt = last + 1;
            Files.createDirectories(attemptDir(attempt));
            if (last > 0) {
                LOG.info("{}: a snapshot is taken again (attempt {}); rows delivered by earlier attempts and absent now will be deleted",
                        pipeline, attempt);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Records the keys of a batch about to be delivered, flushed to the OS before this returns; in cluster mode stored
     * in the state database first, so that the node that takes the pipeline over can sweep them.
     */
    public synchronized void record(List<ChangeEvent> events) {
        if (attempt < 0) {
            return; // not begun: no snapshot can be taken again
        }
        StringBuilder[] lines = new StringBuilder[BUCKETS];
        try {
            int shapeAt = -1; // a batch is mostly one table: its shape's columns and name are looked up once
            LedgerShapes.Shape shape = null;
            List<String> columns = null;
            String table = null;
            StringBuilder line = new StringBuilder(64);
            for (ChangeEvent e : events) {
                if (e.op() == Op.DDL || e.op() == Op.DELETE || e.primaryKey().isEmpty() || e.row() == null) {
                    continue;
                }
                int idx = shapes.indexOf(e);
                if (idx != shapeAt) {
                    shapeAt = idx;
                    shape = shapes.get(idx);
                    columns = shape.columns();
                    table = shape.table().qualifiedName();
                }
                line.setLength(0);
                line.append(idx);
                Map<String, Object> row = e.row();
                for (String c : columns) {
                    LedgerValues.append(line.append('\t'), row.get(c));
                }
                int b = bucketOf(table, shape, line);
                if (lines[b] == null) {
                    lines[b] = new StringBuilder();
                }
                lines[b].append(line).append('\n');
            }
            if (state.SharedState.isMirrored(dir)) {
                Map<Path, byte[]> appends = new LinkedHashMap<>();
                for (int b = 0; b < BUCKETS; b++) {
                    if (lines[b] != null) {
                        appends.put(attemptDir(attempt).resolve("b" + b), lines[b].toString().getBytes(StandardCharsets.UTF_8));
                    }
                }
                state.SharedState.mirrorAppend(appends);
            }
            for (int b = 0; b < BUCKETS; b++) {
                if (lines[b] != null) {
                    if (buckets[b] == null) {
                        buckets[b] = Files.newBufferedWriter(attemptDir(attempt).resolve("b" + b), StandardCharsets.UTF_8,
                                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    }
                    buckets[b].append(lines[b]);
                    buckets[b].flush();
                }
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * After the new snapshot's last row: writes the deletes — keys that earlier attempts recorded and this one did not —
     * to a sweep file and returns how many there are; {@link #nextSweepChunk} then hands them out.
     */
    public synchronized long prepareSweep() {
        if (attempt < 0) {
            return 0;
        }
        try {
            closeFiles();
            List<Path> earlier = attempts().stream().filter(p -> attemptNumber(p) != attempt).toList();
            Path file = dir.resolve("sweep-" + attempt);
            long count = 0;
            try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                for (int b = 0; b < BUCKETS && !earlier.isEmpty(); b++) {
                    Set<String> present = new HashSet<>();
                    readLines(attemptDir(attempt).resolve("b" + b), line -> present.add(identity(line)));
                    Set<String> swept = new HashSet<>();
                    for (Path a : earlier) {
                        List<String> lines = new ArrayList<>();
                        readLines(a.resolve("b" + b), line -> {
                            String id = identity(line);
                            if (!present.contains(id) && swept.add(id)) {
                                lines.add(line);
                            }
                        });
                        for (String line : lines) {
                            out.write(line);
                            out.write('\n');
                        }
                        count += lines.size();
                    }
                }
            }
            sweep = Files.newBufferedReader(file, StandardCharsets.UTF_8);
            sweepPosition = "retake-" + attempt;
            if (count > 0) {
                LOG.info("{}: {} rows delivered by an earlier snapshot attempt are gone from the new snapshot: deleting them", pipeline, count);
            }
            return count;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next deletes of the sweep (at most the chunk size); empty once every one was handed out. */
    public synchronized List<ChangeEvent> nextSweepChunk() {
        List<ChangeEvent> deletes = new ArrayList<>();
        if (sweep == null) {
            return deletes;
        }
        try {
            Instant now = Instant.now();
            String line;
            while (deletes.size() < chunk && (line = sweep.readLine()) != null) {
                String[] fields = line.split("\t", -1);
                LedgerShapes.Shape shape = shapes.get(Integer.parseInt(fields[0]));
                Map<String, Object> before = new LinkedHashMap<>();
                List<String> columns = shape.columns();
                for (int i = 0; i < columns.size(); i++) {
                    before.put(columns.get(i), LedgerValues.decode(fields[i + 1]));
                }
                deletes.add(ChangeEvent.row(pipeline, Op.DELETE, shape.table(), before, null, shape.key(), shape.types(),
                        new SourcePosition(shape.connector(), sweepPosition, null, 0, now, true)));
            }
            if (deletes.size() < chunk) {
                sweep.close();
                sweep = null;
            }
            return deletes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes per sweep batch. */
    public int chunk() {
        return chunk;
    }

    /** The snapshot's end is committed at the source: no attempt can be taken again, the ledger is dropped. */
    public synchronized void completed() {
        try {
            closeFiles();
            attempt = -1;
            state.SharedState.mirrorDelete(dir);
            if (Files.exists(dir)) {
                try (Stream<Path> all = Files.walk(dir)) {
                    for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
            shapes.clear();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Table name and key values: equal for the same row in any attempt. */
    private String identity(String line) {
        int tab = line.indexOf('\t');
        return identity(shapes.get(Integer.parseInt(line.substring(0, tab))), line);
    }

    static String identity(LedgerShapes.Shape shape, String line) {
        int end = line.indexOf('\t');
        for (int i = 0; i < shape.key().size() && end >= 0; i++) {
            end = line.indexOf('\t', end + 1);
        }
        String values = end < 0 ? line.substring(line.indexOf('\t')) : line.substring(line.indexOf('\t'), end);
        return shape.table().qualifiedName() + values;
    }

    static int bucketOf(String identity) {
        return Math.floorMod(identity.hashCode(), BUCKETS);
    }

    /**
     * {@code bucketOf(identity(shape, line))} without building the identity: a String's hash is defined over its chars,
     * so the hash of table name + key values is the name's hash carried on over the line's key part.
     */
    static int bucketOf(String table, LedgerShapes.Shape shape, CharSequence line) {
        int start = indexOf(line, 0);
        int end = start;
        for (int i = 0; i < shape.key().size() && end >= 0; i++) {
            end = indexOf(line, end + 1);
        }
        int to = end < 0 ? line.length() : end;
        int h = table.hashCode();
        for (int i = start; i < to; i++) {
            h = 31 * h + line.charAt(i);
        }
        return Math.floorMod(h, BUCKETS);
    }

    private static int indexOf(CharSequence line, int from) {
        for (int i = from; i < line.length(); i++) {
            if (line.charAt(i) == '\t') {
                return i;
            }
        }
        return -1;
    }

    private interface LineHandler {
        void line(String line);
    }

    /** Every complete line of a bucket (a line cut by a crash was never flushed whole, so its batch was not sent). */
    private static void readLines(Path file, LineHandler handler) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        String content = Files.readString(file, StandardCharsets.UTF_8);
        int start = 0;
        int nl;
        while ((nl = content.indexOf('\n', start)) >= 0) {
            if (nl > start) {
                handler.line(content.substring(start, nl));
            }
            start = nl + 1;
        }
    }

    private List<Path> attempts() throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(p -> p.getFileName().toString().startsWith("attempt-")).sorted().toList();
        }
    }

    private Path attemptDir(int n) {
        return dir.resolve("attempt-" + n);
    }

    private static int attemptNumber(Path p) {
        return Integer.parseInt(p.getFileName().toString().substring("attempt-".length()));
    }

    private void closeFiles() throws IOException {
        for (int b = 0; b < BUCKETS; b++) {
            if (buckets[b] != null) {
                buckets[b].close();
                buckets[b] = null;
            }
        }
        if (sweep != null) {
            sweep.close();
            sweep = null;
        }
    }
}
