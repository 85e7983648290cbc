package sinks.hdfs;

import org.apache.avro.Schema;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.EncodingStats;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ColumnPath;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.metadata.FileMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.schema.MessageTypeParser;
import org.apache.parquet.schema.PrimitiveType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ParquetDictionariesTest {

    static final Schema ORDERS = new AvroRows("orders", PartFormatsTest.COLUMNS).schema;

    @Test
    void aColumnIsWrittenPlainlyOnlyWhenEveryRowGroupGaveItsDictionaryUpAndEveryEighthPartTriesAgain() {
        ParquetDictionaries d = new ParquetDictionaries();
        assertEquals(Set.of(), d.plainColumns(ORDERS));
        d.learn(ORDERS, footer(List.of(Map.of("id", false, "name", false, "price", true)), List.of(Map.of("id", false, "name", true, "price", true))));
        for (int part = 1; part < ParquetDictionaries.RELEARN_EVERY; part++) {
            assertEquals(Set.of("id"), d.plainColumns(ORDERS), "part " + part); // name kept its dictionary in one row group
        }
        assertEquals(Set.of(), d.plainColumns(ORDERS), "the eighth part after learning tries every dictionary");
        assertEquals(Set.of("id"), d.plainColumns(ORDERS));
        assertEquals(Set.of(), d.plainColumns(new AvroRows("other", PartFormatsTest.COLUMNS).schema), "another table learns for itself");
        d.learn(ORDERS, footer());
        assertEquals(Set.of("id"), d.plainColumns(ORDERS), "an empty part teaches nothing");
    }

    /** A footer whose row groups have these columns, dictionary-encoded throughout (true) or given up (false). */
    @SafeVarargs
    static ParquetMetadata footer(List<Map<String, Boolean>>... rowGroups) {
        List<BlockMetaData> blocks = new ArrayList<>();
        for (List<Map<String, Boolean>> group : rowGroups) {
            BlockMetaData block = new BlockMetaData();
            group.get(0).forEach((column, dictionary) -> {
                EncodingStats.Builder stats = new EncodingStats.Builder().addDictEncoding(Encoding.PLAIN);
                stats.addDataEncoding(dictionary ? Encoding.RLE_DICTIONARY : Encoding.PLAIN);
                block.addColumn(ColumnChunkMetaData.get(ColumnPath.get(column), PrimitiveType.PrimitiveTypeName.BINARY, CompressionCodecName.SNAPPY,
                        stats.build(), Set.of(), null, 0, 0, 0, 0, 0));
            });
            blocks.add(block);
        }
        return new ParquetMetadata(new FileMetaData(MessageTypeParser.parseMessageType("message m {}"), Map.of(), "test"), blocks);
    }
}
