package sinks.hdfs;

import model.ChangeEvent;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.InvalidAvroMagicException;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;

import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code parquet}: a Parquet file is readable only once its footer is written, so hflush cannot make half a Parquet
 * file durable. Rows are therefore staged in an Avro container file under the temporary name — each batch ends an
 * Avro block and is hflushed, so it survives a crash. The same rows are written, on a thread of the sink's pool, into
 * the part's Parquet file under a converting name ({@link ParquetAlongside}; typed schema from {@link AvroRows},
 * Snappy); on roll it gets its footer and is published by rename, then the staging file is deleted. Recovery — and a
 * roll whose Parquet copy failed — converts the complete Avro blocks of the staging file instead.
 */
final class ParquetFormat implements PartFormat {

    private final Configuration conf;
    /**
     * Parts written with a Parquet copy at once, per sink: each holds up to a row group in the heap
     * ({@link ParquetAlongside#ROW_GROUP_BYTES}); further parts (many tables or partitions open) convert on roll.
     */
    static final int MAX_COPIES = 4;

    /** Writes the parts' Parquet copies: threads start with the first part and end after a minute without one. */
    private final ThreadPoolExecutor pool;
    private final AtomicInteger copies = new AtomicInteger();
    final ParquetDictionaries dictionaries = new ParquetDictionaries();

    ParquetFormat(Configuration conf) {
        this.conf = conf;
        AtomicInteger threads = new AtomicInteger();
        pool = new ThreadPoolExecutor(2, 2, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "hdfs-parquet-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
    }

    @Override
    public void close() {
        pool.shutdown();
    }

    @Override
    public String extension() {
        return "parquet";
    }

    @Override
    public PartWriter create(FileSystem fs, Path temp, String table, Map<String, String> columns) throws IOException {
        AvroRows rows = new AvroRows(table, columns);
        FSDataOutputStream out = fs.create(temp, false);
        DataFileWriter<GenericRecord> staging = new DataFileWriter<GenericRecord>(rows.writer())
                .setSyncInterval(1 << 20).setCodec(org.apache.avro.file.CodecFactory.snappyCodec()).create(rows.schema, out);
        Path converting = converting(fs, temp);
        ParquetAlongside parquet = copies.incrementAndGet() <= MAX_COPIES ? new ParquetAlongside(converting, rows.schema, conf, pool, dictionaries) : null;
        if (parquet == null) {
            copies.decrementAndGet();
        }
        return new PartWriter(out) {
            @Override
            protected int append(List<ChangeEvent> events, Refused refused) throws IOException {
                int refusals = 0;
                List<GenericRecord> staged = new ArrayList<>(events.size());
                for (ChangeEvent event : events) {
                    GenericRecord row;
                    try {
                        row = rows.record(event);
                    } catch (RuntimeException cannotHold) {
                        refused.refuse(event, cannotHold);
                        refusals++;
                        continue;
                    }
                    try {
                        staging.append(row);
                        staged.add(row);
                    } catch (DataFileWriter.AppendWriteException cannotHold) {
                        // Avro encodes into its block buffer and resets it when a datum fails: the file stays whole
                        refused.refuse(event, cannotHold);
                        refusals++;
                    }
                }
                if (parquet != null) {
                    parquet.write(staged); // exactly the staged rows, in their order
                }
                return refusals;
            }

            @Override
            protected void flushRecords() throws IOException {
                staging.flush(); // ends the Avro block: what follows is whole blocks only
            }

            @Override
            void publish(FileSystem fs, Path target) throws IOException {
                staging.close();
                boolean copied;
                try {
                    copied = parquet != null && parquet.finish();
                } finally {
                    release();
                }
                if (!copied) {
                    convert(fs, temp, target); // no copy, or it failed: the staged rows are the record
                } else if (records() == 0) {
                    fs.delete(converting, false);
                    fs.delete(temp, false);
                } else {
                    Parts.rename(fs, converting, target);
                    faults.FaultPoints.reached(faults.FaultPoints.PART_RENAMED);
                    fs.delete(temp, false);
                }
            }

            @Override
            void abandon() {
                if (parquet != null) {
                    parquet.discard(); // its file is deleted when the staging file is converted
                }
                release();
                Parts.closeQuietly(staging);
                Parts.closeQuietly(out);
            }

            private boolean released;

            /** Gives the part's copy back to the budget, once. */
            private void release() {
                if (parquet != null && !released) {
                    released = true;
                    copies.decrementAndGet();
                }
            }
        };
    }

    @Override
    public long recover(FileSystem fs, Path temp, Path target) throws IOException {
        Parts.recoverLease(fs, temp);
        if (fs.exists(target)) {
            fs.delete(temp, false); // published before the crash; only the staging file's delete was missing
            return 0;
        }
        return convert(fs, temp, target);
    }

    /** Staged Avro rows → Parquet under a converting name → rename to {@code target} → staging deleted. */
    private long convert(FileSystem fs, Path staged, Path target) throws IOException {
        Path converting = converting(fs, staged);
        fs.delete(converting, false);
        long records = 0;
        try (FSDataInputStream in = fs.open(staged)) {
            DataFileStream<GenericRecord> rows;
            try {
                rows = new DataFileStream<>(in, new GenericDatumReader<>());
            } catch (EOFException | InvalidAvroMagicException noHeader) {
                rows = null; // the writer died before its first batch reached the disk: no rows
            } catch (java.io.IOException e) {
                if (!String.valueOf(e.getMessage()).startsWith("Not an Avro data file")) {
                    throw e; // a read failure, not a torn header: try again later, delete nothing
                }
                rows = null; // a torn header: its first batch (header and first block are flushed together) never reached the disk
            }
            if (rows != null) {
                try (ParquetWriter<GenericRecord> parquet = AvroParquetWriter.<GenericRecord>builder(HadoopOutputFile.fromPath(converting, conf))
                        .withSchema(rows.getSchema()).withConf(conf).withCompressionCodec(CompressionCodecName.SNAPPY)
                        .withWriteMode(ParquetFileWriter.Mode.CREATE).build()) {
                    GenericRecord reuse = null;
                    while (hasNext(rows)) {
                        reuse = rows.next(reuse);
                        parquet.write(reuse);
                        records++;
                    }
                }
            }
        }
        if (records == 0) {
            fs.delete(converting, false);
        } else {
            Parts.rename(fs, converting, target);
        }
        fs.delete(staged, false);
        return records;
    }

    /** The Parquet file's name while it is written: the staging file's, ending {@code .converting}. */
    private static Path converting(FileSystem fs, Path staged) {
        // qualified: Parquet opens its output through the configuration, which must not fall back to another file system
        return fs.makeQualified(new Path(staged.getParent(), staged.getName().replaceFirst("\\.inprogress$", ".converting")));
    }

    /** A torn last block (the writer died while writing it) ends the staged rows; the blocks before it are whole. */
    private static boolean hasNext(DataFileStream<GenericRecord> rows) {
        try {
            return rows.hasNext();
        } catch (RuntimeException torn) {
            return false;
        }
    }
}
