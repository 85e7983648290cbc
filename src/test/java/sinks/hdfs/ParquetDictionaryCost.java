package sinks.hdfs;

import model.ChangeEvent;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * What Parquet's dictionaries cost a writer on the benchmark's table (docs/performance.md, "Parquet dictionaries"): the
 * HDFS row's 200,000 rows as Avro records, written by one thread as four files of 50,000 rows to the local file system
 * by parquet-avro's writer with its defaults and with every dictionary off, taking turns; the thread's CPU per row and
 * the files' bytes. Run: {@code java -cp target/classes:target/test-classes:<test class path> sinks.hdfs.ParquetDictionaryCost}.
 */
public final class ParquetDictionaryCost {

    private ParquetDictionaryCost() {
    }

    public static void main(String[] args) throws Exception {
        List<ChangeEvent> events = new ArrayList<>();
        bench.HdfsSinkBench.events(200_000).forEach(events::addAll);
        AvroRows avro = new AvroRows("orders", events.get(0).columns());
        List<GenericRecord> rows = new ArrayList<>();
        for (ChangeEvent e : events) {
            rows.add(avro.record(e));
        }
        java.nio.file.Path dir = Files.createTempDirectory("parquet-dictionary-cost");
        Configuration conf = new Configuration();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int rounds = Integer.getInteger("rounds", 12);
        int warmUps = 4;
        double[] cpu = new double[2];
        for (int round = 0; round < rounds; round++) {
            for (boolean dictionaries : new boolean[]{round % 2 == 0, round % 2 != 0}) {
                File file = dir.resolve("rows-" + dictionaries + ".parquet").toFile();
                long bytes = 0;
                long cpu0 = threads.getCurrentThreadCpuTime();
                for (int part = 0; part < 4; part++) {
                    try (ParquetWriter<GenericRecord> w = AvroParquetWriter.<GenericRecord>builder(HadoopOutputFile.fromPath(new Path(file.toURI()), conf))
                            .withSchema(avro.schema).withConf(conf).withCompressionCodec(CompressionCodecName.SNAPPY)
                            .withDictionaryEncoding(dictionaries).withWriteMode(ParquetFileWriter.Mode.OVERWRITE).build()) {
                        for (GenericRecord r : rows.subList(part * 50_000, (part + 1) * 50_000)) {
                            w.write(r);
                        }
                    }
                    bytes += file.length();
                }
                double perRow = (threads.getCurrentThreadCpuTime() - cpu0) / 1e3 / rows.size();
                if (round >= warmUps) {
                    cpu[dictionaries ? 0 : 1] += perRow;
                    System.out.printf("round %2d  %-22s %.2f µs CPU/row, %,d bytes%n", round - warmUps + 1,
                            dictionaries ? "every dictionary" : "no dictionary", perRow, bytes);
                }
            }
        }
        System.out.printf("mean      every dictionary %.2f µs CPU/row; no dictionary %.2f µs CPU/row%n",
                cpu[0] / (rounds - warmUps), cpu[1] / (rounds - warmUps));
        testsupport.Dirs.delete(dir);
    }
}
