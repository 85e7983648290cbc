package sinks.hdfs;

import formats.ChangeEventFormat;
import model.ChangeEvent;
import model.Op;
import model.TableId;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import counters.PipelineCounters;
import sinks.BatchSink;
import sinks.hdfs.PartFormat.PartWriter;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HDFS sink (docs/sinks/hdfs.md): rolling part files per table folder and partition, written through the Hadoop
 * client API (camel-hdfs left Camel and misbehaves on 4.17 — docs/design.md). A part is written under a hidden temporary
 * name ({@code .part-00001.jsonl.<pipeline>.inprogress}); every batch is hflushed (or hsynced) before the batch
 * completes and the source commits its offsets; on roll (size, records, age), at the end of a snapshot and when a
 * table's columns change, the part is closed and renamed to {@code part-00001.jsonl} — a reader never sees a
 * half-written file under a final name. Parts a crash or a failed batch left behind are recovered (their complete
 * records published) before anything new is written.
 */
public class HdfsSink extends BatchSink {

    private static final Logger LOG = LoggerFactory.getLogger(HdfsSink.class);
    private static final Pattern PART = Pattern.compile("\\.?part-(\\d+)\\..*");

    private final String pipeline;
    private final HdfsSinkConfig target;
    private final ChangeEventFormat recordFormat;
    private final Function<TableId, String> tableFolders;
    private final PartitionTemplate partition;
    private final InProgressFiles inProgress;
    private final sinks.DeadLetters deadLetters;
    private FileSystem fs;
    private PartFormat format;
    private ScheduledExecutorService ager;

    /** Open parts by folder. */
    private final Map<Path, OpenPart> open = new LinkedHashMap<>();
    /** Folders per table and partition: a Hadoop Path parses a URI, too slow to build per event. */
    private final Map<TableId, Map<String, Path>> folders = new HashMap<>();
    /** The highest part number seen per folder. */
    private final Map<Path, Integer> lastPart = new HashMap<>();
    /** Publishes rolled parts in the background. */
    private PartPublisher publisher;

    /** A part being written. Compared by identity (it keys the batch's pending events). */
    private record OpenPart(TableId table, Path folder, Path temp, Path target, Map<String, String> columns, PartWriter writer, long openedAt) {
        @Override
        public boolean equals(Object o) {
            return this == o;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }

    /**
     * @param tableFolders a selected table's folder; relative folders are put under {@code target.path()}
     * @param stateDir     the pipeline's data directory (the list of in-progress files lives there)
     * @param deadLetters where changes go whose values the file cannot hold (null: such a change fails the batch)
     */
    public HdfsSink(String pipeline, HdfsSinkConfig target, ChangeEventFormat recordFormat, Function<TableId, String> tableFolders,
                    java.nio.file.Path stateDir, PipelineCounters counters, sinks.DeadLetters deadLetters) {
        super(counters);
        this.deadLetters = deadLetters;
        this.pipeline = pipeline;
        this.target = target;
        this.recordFormat = recordFormat;
        this.tableFolders = tableFolders;
        this.partition = target.partition().isEmpty() ? null : PartitionTemplate.parse(target.partition());
        this.inProgress = new InProgressFiles(stateDir.resolve("hdfs-inprogress.txt"));
    }

    /** The Hadoop configuration: {@code file://} without checksum side files (hflush reaches the OS); the operator's keys last. */
    static Configuration configuration(HdfsSinkConfig target) {
        Configuration conf = new Configuration();
        conf.set("fs.file.impl", RawLocalFileSystem.class.getName());
        conf.set("fs.defaultFS", target.uri());
        target.options().forEach(conf::set);
        return conf;
    }

    @Override
    protected synchronized void doStart() throws Exception {
        Configuration conf = configuration(target);
        URI uri = URI.create(target.uri());
        fs = target.user() == null ? FileSystem.newInstance(uri, conf) : FileSystem.newInstance(uri, conf, target.user());
        format = switch (target.fileFormat()) {
            case "csv" -> new CsvFormat();
            case "parquet" -> new ParquetFormat(conf);
            default -> new JsonLinesFormat(recordFormat);
        };
        publisher = new PartPublisher(pipeline, inProgress, this::checkOwner);
        try {
            recoverLeftovers();
        } catch (IOException e) {
            // the file system may be away: the first batch tries again (and fails, and is retried, until it is back)
            LOG.warn("{}: cannot recover the parts left by the last run yet: {}", pipeline, e.getMessage());
        }
        long period = Math.max(100, Math.min(1000, target.rollAgeMs() / 4));
        ager = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hdfs-roll-" + pipeline);
            t.setDaemon(true);
            return t;
        });
        ager.scheduleWithFixedDelay(this::publishAged, period, period, TimeUnit.MILLISECONDS);
        if (deadLetters != null) {
            deadLetters.resendWith(letter -> {
                // what the file could not hold it cannot hold on a second try; published files are never rewritten
                throw new UnsupportedOperationException("the HDFS sink does not write dead letters again: each keeps the change in the"
                        + " pipeline's format (its value) to load by hand");
            });
        }
    }

    @Override
    protected synchronized void doStop() throws Exception {
        if (deadLetters != null) {
            deadLetters.resendWith(null);
        }
        if (ager != null) {
            ager.shutdownNow();
        }
        publishAll(); // a stopped pipeline leaves no temporary files
        if (publisher != null) {
            publisher.close();
        }
        if (format != null) {
            format.close();
        }
        if (fs != null) {
            fs.close();
        }
    }

    @Override
    protected synchronized void deliver(List<ChangeEvent> events) throws Exception {
        recoverLeftovers();
        // each part's events in source order; a part is written in one go (its format may encode in parallel)
        Map<OpenPart, List<ChangeEvent>> pending = new LinkedHashMap<>();
        List<Refusal> refusals = java.util.Collections.synchronizedList(new ArrayList<>());
        // a batch is mostly runs of one table: while an event has the same table and columns (by identity) as the one
        // that started the run, it joins the run's part without the look-ups and the column comparison per event
        ChangeEvent runStart = null;
        List<ChangeEvent> runEvents = null;
        try {
            for (ChangeEvent e : events) {
                if (e.op() == Op.DDL) {
                    for (OpenPart part : partsOf(e.table())) {
                        write(part, pending.remove(part), refusals);
                        publish(part); // a schema change starts new files; the DDL itself has no row to write
                    }
                    runStart = null;
                    counters.eventsFiltered.incrementAndGet();
                    continue;
                }
                if (runStart != null && e.table() == runStart.table() && e.columns() == runStart.columns() && partition == null) {
                    runEvents.add(e);
                    continue;
                }
                Path folder = folderOf(e);
                OpenPart part = open.get(folder);
                if (part != null && part.columns() != e.columns() && !part.columns().equals(e.columns())) {
                    write(part, pending.remove(part), refusals);
                    publish(part); // the table's columns changed: closing completes the old file, a new one starts
                    part = null;
                }
                if (part == null) {
                    part = openPart(folder, e);
                }
                runStart = e;
                runEvents = pending.computeIfAbsent(part, p -> new ArrayList<>());
                runEvents.add(e);
            }
            for (Map.Entry<OpenPart, List<ChangeEvent>> p : pending.entrySet()) {
                write(p.getKey(), p.getValue(), refusals);
            }
            for (OpenPart part : pending.keySet()) {
                part.writer().sync(target.hsync());
            }
            deadLetter(refusals, events); // after the sync: a failed batch is written again and refuses them again
        } catch (IOException | RuntimeException failure) {
            // what reached these files is recovered (published) before the retry writes the batch again
            for (OpenPart part : pending.keySet()) {
                abandon(part);
            }
            throw failure;
        }
        for (OpenPart part : pending.keySet()) {
            if (part.writer().bytes() >= target.rollBytes() || part.writer().records() >= target.rollRecords()) {
                publishBehind(part);
            }
        }
    }

    /** A change a part's file cannot hold, and why. */
    private record Refusal(ChangeEvent event, Path folder, RuntimeException cause) {
    }

    private static void write(OpenPart part, List<ChangeEvent> events, List<Refusal> refusals) throws IOException {
        if (events != null) {
            part.writer().write(events, (event, cause) -> refusals.add(new Refusal(event, part.folder(), cause)));
        }
    }

    /** Keeps the refused changes (in the pipeline's format) with their cause; without dead letters the batch fails. */
    private void deadLetter(List<Refusal> refusals, List<ChangeEvent> batch) {
        if (refusals.isEmpty()) {
            return;
        }
        if (deadLetters == null) {
            Refusal first = refusals.get(0);
            throw new IllegalStateException("a change of " + first.event().table().qualifiedName() + " cannot be written to "
                    + first.folder() + ": " + first.cause().getMessage(), first.cause());
        }
        Map<ChangeEvent, Integer> order = new java.util.IdentityHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            order.put(batch.get(i), i);
        }
        List<Refusal> inOrder = new ArrayList<>(refusals); // parts encode in parallel: back to the batch's order
        inOrder.sort(java.util.Comparator.comparingInt(r -> order.get(r.event())));
        for (Refusal r : inOrder) {
            byte[] value;
            try {
                value = recordFormat.encode(r.event());
            } catch (RuntimeException notEvenAsText) {
                value = null;
            }
            deadLetters.add(r.event(), r.folder().toString(), null, value, r.cause());
        }
    }

    @Override
    protected synchronized void afterSnapshot() {
        publishAll(); // mode full ends with the snapshot in published files
    }

    private Path folderOf(ChangeEvent e) {
        String partitionFolder = partition == null ? "" : partition.folder(e.position().commitTs());
        return folders.computeIfAbsent(e.table(), t -> new HashMap<>()).computeIfAbsent(partitionFolder, p -> {
            String table = tableFolders.apply(e.table());
            Path folder = table.startsWith("/") ? new Path(table) : new Path(new Path(target.path()), table);
            return p.isEmpty() ? folder : new Path(folder, p);
        });
    }

    private OpenPart openPart(Path folder, ChangeEvent first) throws IOException {
        int number = nextPartNumber(folder);
        String name = String.format("part-%05d.%s", number, format.extension());
        Path finalPath = new Path(folder, name);
        Path temp = new Path(folder, "." + name + "." + pipeline + ".inprogress");
        inProgress.add(temp.toString()); // before the file exists: a crash right after create still finds it
        PartWriter writer = format.create(fs, temp, first.table().table(), first.columns());
        OpenPart part = new OpenPart(first.table(), folder, temp, finalPath, first.columns(), writer, System.currentTimeMillis());
        open.put(folder, part);
        return part;
    }

    private int nextPartNumber(Path folder) throws IOException {
        Integer last = lastPart.get(folder);
        if (last == null) {
            last = 0;
            if (fs.exists(folder)) {
                for (FileStatus f : fs.listStatus(folder)) {
                    Matcher m = PART.matcher(f.getPath().getName());
                    if (m.matches()) {
                        last = Math.max(last, Integer.parseInt(m.group(1)));
                    }
                }
            }
        }
        int next = last + 1;
        lastPart.put(folder, next);
        return next;
    }

    /** Closes and publishes a part whose content is synced; on failure it is left for recovery (its data is durable). */
    private void publishDurable(OpenPart part) {
        try {
            publish(part);
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: cannot publish {} yet ({}); it is recovered before the next batch", pipeline, part.target(), e.getMessage());
            abandon(part);
        }
    }

    /** Publishes a synced part in the background ({@link PartPublisher}). */
    private void publishBehind(OpenPart part) {
        open.remove(part.folder());
        publisher.publish(fs, part.temp(), part.target(), part.writer());
    }

    private void publish(OpenPart part) throws IOException {
        open.remove(part.folder());
        part.writer().publish(fs, part.target());
        inProgress.remove(part.temp().toString());
        LOG.debug("{}: published {} ({} records)", pipeline, part.target(), part.writer().records());
    }

    private void abandon(OpenPart part) {
        open.remove(part.folder());
        part.writer().abandon(); // stays in the in-progress list: recovered before the next write
    }

    private List<OpenPart> partsOf(TableId table) {
        return open.values().stream().filter(p -> p.table().equals(table)).toList();
    }

    private void publishAll() {
        if (publisher != null) {
            publisher.awaitAll();
        }
        for (OpenPart part : new ArrayList<>(open.values())) {
            publishDurable(part);
        }
    }

    private synchronized void publishAged() {
        long now = System.currentTimeMillis();
        List<OpenPart> aged = new ArrayList<>();
        for (OpenPart part : open.values()) {
            if (now - part.openedAt() >= target.rollAgeMs()) {
                aged.add(part);
            }
        }
        if (aged.isEmpty()) {
            return;
        }
        try {
            checkOwner(); // a node that lost the pipeline publishes nothing more: the new owner recovers its open parts
        } catch (java.io.IOException staleOrUnreachable) {
            LOG.debug("{}: no part published by age now: {}", pipeline, staleOrUnreachable.getMessage());
            return;
        }
        aged.forEach(this::publishDurable);
    }

    /** Publishes the complete records of every part a crash or a failed batch left behind. */
    private void recoverLeftovers() throws IOException {
        Set<String> openTemps = new LinkedHashSet<>();
        open.values().forEach(p -> openTemps.add(p.temp().toString()));
        openTemps.addAll(publisher.busy()); // still being published: not left over
        for (String left : inProgress.all()) {
            if (openTemps.contains(left)) {
                continue;
            }
            Path temp = new Path(left);
            if (fs.exists(temp)) {
                Path finalPath = new Path(temp.getParent(), temp.getName().substring(1, temp.getName().length() - (pipeline.length() + ".inprogress".length() + 1)));
                long records = format.recover(fs, temp, finalPath);
                LOG.info("{}: recovered {} records of {} into {}", pipeline, records, temp, finalPath);
            }
            inProgress.remove(left);
        }
    }
}
