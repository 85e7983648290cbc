package sinks.hdfs;

import model.ChangeEvent;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;

import java.util.List;

/**
 * The benchmark's hand-written Parquet writer: what a program that writes Parquet to HDFS by itself does — one
 * {@link AvroParquetWriter} per file straight on HDFS (Snappy, the sink's typed schema), closed and renamed. It has no
 * staging, so a crash loses the open file's rows: the sink's staging is what it costs to keep them.
 */
public final class ParquetByHand {

    private ParquetByHand() {
    }

    /** Writes the batches as files of {@code fileBatches} batches under {@code dir}; returns the rows written. */
    public static long write(FileSystem fs, Path dir, List<List<ChangeEvent>> batches, int fileBatches) throws Exception {
        Configuration conf = fs.getConf();
        long rows = 0;
        for (int file = 0; file * fileBatches < batches.size(); file++) {
            List<List<ChangeEvent>> part = batches.subList(file * fileBatches, Math.min(batches.size(), (file + 1) * fileBatches));
            ChangeEvent first = part.get(0).get(0);
            AvroRows avro = new AvroRows(first.table().table(), first.columns());
            Path temp = fs.makeQualified(new Path(dir, ".part-" + file + ".parquet.inprogress"));
            try (ParquetWriter<GenericRecord> out = AvroParquetWriter.<GenericRecord>builder(HadoopOutputFile.fromPath(temp, conf))
                    .withSchema(avro.schema).withConf(conf).withCompressionCodec(CompressionCodecName.SNAPPY)
                    .withWriteMode(ParquetFileWriter.Mode.CREATE).build()) {
                for (List<ChangeEvent> batch : part) {
                    for (ChangeEvent e : batch) {
                        out.write(avro.record(e));
                        rows++;
                    }
                }
            }
            fs.rename(temp, new Path(dir, "part-" + file + ".parquet"));
        }
        return rows;
    }
}
