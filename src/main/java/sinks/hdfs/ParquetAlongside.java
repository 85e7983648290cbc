package sinks.hdfs;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;

/**
 * A part's Parquet file, written from the rows the part stages while they are staged, on a thread of the sink's pool
 * (one batch after the other per part): on roll the file only needs its footer, instead of reading the staged rows
 * back and encoding them again. It is a copy for speed, never the record of what was acknowledged — the staging file
 * is: when anything goes wrong here, the part is converted from its staging file as before.
 */
final class ParquetAlongside {

    /** Batches handed over and not yet written, per part: the sink waits beyond this (the heap holds at most these). */
    private static final int MAX_PENDING = 4;
    /**
     * The copy's row groups: a Parquet writer holds its open row group in the heap (128 MB by default, with no limit
     * across writers), and a part keeps its copy open until it rolls — smaller groups keep a copy's heap bounded.
     */
    static final long ROW_GROUP_BYTES = 16L << 20;

    private final Path file;
    private final Schema schema;
    private final Configuration conf;
    private final Executor pool;
    private final ParquetDictionaries dictionaries;
    private final java.util.Set<String> plainColumns;
    private final ArrayDeque<CompletableFuture<Void>> pending = new ArrayDeque<>();
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);
    private ParquetWriter<GenericRecord> writer; // the pool's threads only, one task at a time
    private volatile Throwable failed;

    ParquetAlongside(Path file, Schema schema, Configuration conf, Executor pool, ParquetDictionaries dictionaries) {
        this.file = file;
        this.schema = schema;
        this.conf = conf;
        this.pool = pool;
        this.dictionaries = dictionaries;
        this.plainColumns = dictionaries.plainColumns(schema);
    }

    /** Hands these rows over (in order after the earlier ones); waits while {@value #MAX_PENDING} batches are pending. */
    void write(List<GenericRecord> rows) {
        if (failed != null || rows.isEmpty()) {
            return;
        }
        tail = tail.thenRunAsync(() -> {
            if (failed != null) {
                return;
            }
            try {
                if (writer == null) {
                    AvroParquetWriter.Builder<GenericRecord> builder = AvroParquetWriter.<GenericRecord>builder(HadoopOutputFile.fromPath(file, conf))
                            .withSchema(schema).withConf(conf).withCompressionCodec(CompressionCodecName.SNAPPY)
                            .withRowGroupSize(ROW_GROUP_BYTES).withWriteMode(ParquetFileWriter.Mode.OVERWRITE);
                    for (String column : plainColumns) {
                        builder = builder.withDictionaryEncoding(column, false);
                    }
                    writer = builder.build();
                }
                for (GenericRecord row : rows) {
                    writer.write(row);
                }
            } catch (IOException | RuntimeException e) {
                failed = e;
            }
        }, pool);
        pending.addLast(tail);
        while (pending.size() > MAX_PENDING) {
            pending.removeFirst().join();
        }
        pending.removeIf(CompletableFuture::isDone);
    }

    /**
     * Closes the file after every row handed over: true when it holds them all (it is complete and may be published),
     * false when writing it failed — the caller then converts the staging file, after deleting this one.
     */
    boolean finish() throws IOException {
        awaitTail();
        if (failed != null) {
            closeQuietly();
            return false;
        }
        if (writer != null) {
            try {
                writer.close();
            } catch (IOException | RuntimeException e) {
                failed = e;
                return false;
            }
            dictionaries.learn(schema, writer.getFooter());
        }
        return true;
    }

    /** Stops after the pending batch and closes quietly; the file is left for the caller to delete. */
    void discard() {
        failed = new IOException("discarded");
        try {
            awaitTail();
        } catch (IOException interrupted) {
            // the file is deleted by whoever converts the staging file
        }
        closeQuietly();
    }

    private void awaitTail() throws IOException {
        try {
            tail.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while the Parquet file was being written");
        } catch (ExecutionException e) {
            failed = e.getCause();
        }
        pending.clear();
    }

    private void closeQuietly() {
        if (writer != null) {
            try {
                writer.close();
            } catch (IOException | RuntimeException ignored) {
                // the staging file is the record; this copy is deleted
            }
        }
    }
}
