package sinks.hdfs;

import org.apache.avro.Schema;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Which columns of a table the sink writes to Parquet without a dictionary, learned from the table's last part.
 * Parquet dictionary-encodes every column at first and gives the dictionary up for a column whose values barely
 * repeat (a key, a timestamp, free text) once the first page shows the dictionary does not pay — after building it
 * for that page. A change stream's table keeps its shape from part to part, so a column whose dictionary was given up
 * in every row group of the last part is written plainly in the next one (the dictionary was 40% of a Parquet
 * writer's CPU per row on the benchmark's table, docs/performance.md); the other columns keep theirs. Every
 * {@value #RELEARN_EVERY}th part of a table is written with every dictionary again, so a column whose values start
 * repeating gets its dictionary back. The values and types in the files are the same either way; only the encoding
 * of such columns' first page differs.
 */
final class ParquetDictionaries {

    static final int RELEARN_EVERY = 8;

    private record Learned(Set<String> plain, AtomicInteger parts) {
    }

    private final Map<Schema, Learned> byTable = new ConcurrentHashMap<>(); // the table's Avro schema: name and columns

    /** The columns to write without a dictionary in the next part of the table with this schema. */
    Set<String> plainColumns(Schema table) {
        Learned learned = byTable.get(table);
        if (learned == null || learned.parts.incrementAndGet() % RELEARN_EVERY == 0) {
            return Set.of();
        }
        return learned.plain;
    }

    /** What was learned for the table (nothing yet: empty), without counting a part. */
    Set<String> learned(Schema table) {
        Learned learned = byTable.get(table);
        return learned == null ? Set.of() : learned.plain;
    }

    /** Learns from a closed part's footer which columns gave their dictionary up (or were written without one). */
    void learn(Schema table, ParquetMetadata footer) {
        if (footer.getBlocks().isEmpty()) {
            return;
        }
        Map<String, Integer> plainGroups = new HashMap<>();
        for (BlockMetaData rowGroup : footer.getBlocks()) {
            for (ColumnChunkMetaData column : rowGroup.getColumns()) {
                if (column.getEncodingStats() != null && column.getEncodingStats().hasNonDictionaryEncodedPages()) {
                    plainGroups.merge(column.getPath().toDotString(), 1, Integer::sum);
                }
            }
        }
        Set<String> plain = new HashSet<>();
        plainGroups.forEach((column, groups) -> {
            if (groups == footer.getBlocks().size()) {
                plain.add(column);
            }
        });
        byTable.put(table, new Learned(Set.copyOf(plain), new AtomicInteger()));
    }
}
