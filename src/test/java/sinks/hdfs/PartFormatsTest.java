package sinks.hdfs;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import formats.DebeziumJsonFormat;
import model.ChangeEvent;
import model.Op;
import model.SourcePosition;
import model.TableId;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import sinks.hdfs.PartFormat.PartWriter;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The part formats on the local file system: what they write, and what recovery keeps of a torn file. */
class PartFormatsTest {

    static final TableId TABLE = new TableId("shop", "public", "orders");
    static final Map<String, String> COLUMNS = columns();

    final java.nio.file.Path dir = tempDir();
    final Configuration conf = HdfsSink.configuration(new HdfsSinkConfig("file:///", "/", "jsonl", "", 1 << 20, 10, 1000, false, null, Map.of()));
    final FileSystem fs = fileSystem();

    private static Map<String, String> columns() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("id", "INT4");
        c.put("name", "VARCHAR(40)");
        c.put("price", "NUMERIC(12,2)");
        c.put("created", "TIMESTAMPTZ");
        c.put("local", "TIMESTAMP");
        c.put("day", "DATE");
        c.put("photo", "BYTEA");
        c.put("名前", "TEXT");
        return c;
    }

    static final PartFormat.Refused NOTHING_REFUSED = (event, cause) -> {
        throw new AssertionError("refused " + event.id(), cause);
    };

    static ChangeEvent event(Op op, int id, String name) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("name", name);
        row.put("price", new BigDecimal("12.50"));
        row.put("created", Instant.parse("2026-11-22T10:15:30.123456Z"));
        row.put("local", LocalDateTime.parse("2026-11-22T10:15:30.5"));
        row.put("day", LocalDate.parse("2026-11-22"));
        row.put("photo", new byte[]{1, 2, 3});
        row.put("名前", null);
        SourcePosition p = new SourcePosition("postgresql", "100", "7", 1, Instant.parse("2026-11-22T10:15:31Z"), false);
        return op == Op.DELETE ? ChangeEvent.row("p", op, TABLE, row, null, List.of("id"), COLUMNS, p)
                : ChangeEvent.row("p", op, TABLE, null, row, List.of("id"), COLUMNS, p);
    }

    private static java.nio.file.Path tempDir() {
        try {
            return Files.createTempDirectory("parts");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private FileSystem fileSystem() {
        try {
            return FileSystem.newInstance(URI.create("file:///"), conf);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        fs.close();
        testsupport.Dirs.delete(dir);
    }

    Path path(String name) {
        return new Path(dir.resolve(name).toUri());
    }

    /** Waits until a part's Parquet copy exists: it is written on the format's own threads. */
    void awaitCopy(String name) {
        org.awaitility.Awaitility.await(name + " exists").atMost(java.time.Duration.ofSeconds(10))
                .pollInterval(java.time.Duration.ofMillis(10)).until(() -> fs.exists(path(name)));
    }

    /** Appends bytes the way a writer that died mid-record leaves them. */
    void tear(Path file, String bytes) throws Exception {
        try (FSDataOutputStream out = fs.append(file)) {
            out.write(bytes.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void csvQuotesWhatItMustAndRecoveryCutsATornRecord() throws Exception {
        CsvFormat csv = new CsvFormat();
        Path temp = path(".part-00001.csv.p.inprogress");
        PartWriter w = csv.create(fs, temp, "orders", COLUMNS);
        w.write(List.of(event(Op.CREATE, 1, "a, \"quoted\"\nsecond line"), event(Op.UPDATE, 2, ""), event(Op.DELETE, 3, "商品")), NOTHING_REFUSED);
        w.sync(false);
        w.abandon();
        tear(temp, "CREATE,2026-11-22T10:15:31Z,4,\"torn\nin the middle");

        assertEquals(3, csv.recover(fs, temp, path("part-00001.csv")));
        assertFalse(fs.exists(temp));
        List<List<String>> rows = new ArrayList<>();
        try (MappingIterator<List<String>> it = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY).readerForListOf(String.class)
                .readValues(dir.resolve("part-00001.csv").toFile())) {
            it.forEachRemaining(rows::add);
        }
        assertEquals(List.of("__op", "__commit_ts", "id", "name", "price", "created", "local", "day", "photo", "名前"), rows.get(0));
        assertEquals(List.of("CREATE", "2026-11-22T10:15:31Z", "1", "a, \"quoted\"\nsecond line", "12.50", "2026-11-22T10:15:30.123456Z",
                "2026-11-22T10:15:30.5", "2026-11-22", "AQID"), rows.get(1).subList(0, 9));
        assertEquals("", rows.get(2).get(3));
        assertEquals(List.of("DELETE", "商品"), List.of(rows.get(3).get(0), rows.get(3).get(3)));
        assertEquals(4, rows.size(), "the torn record is gone");
        String text = Files.readString(dir.resolve("part-00001.csv"));
        assertTrue(text.contains("2,\"\",12.50") && text.contains(",AQID,\n"), "an empty string is \"\", NULL is an empty field: " + text);
    }

    @Test
    void jsonLinesRecoveryKeepsWholeLinesAndDropsAnEmptyFile() throws Exception {
        JsonLinesFormat jsonl = new JsonLinesFormat(new DebeziumJsonFormat());
        Path temp = path(".part-00002.jsonl.p.inprogress");
        PartWriter w = jsonl.create(fs, temp, "orders", COLUMNS);
        w.write(List.of(event(Op.CREATE, 1, "x"), event(Op.CREATE, 2, "y")), NOTHING_REFUSED);
        w.sync(true);
        assertEquals(2, w.records());
        w.abandon();
        tear(temp, "{\"before\":null,\"after\":{\"id\":3");
        assertEquals(2, jsonl.recover(fs, temp, path("part-00002.jsonl")));
        List<String> lines = Files.readAllLines(dir.resolve("part-00002.jsonl"));
        assertEquals(2, lines.size());
        assertTrue(lines.get(1).contains("\"id\":2"));

        Path empty = path(".part-00003.jsonl.p.inprogress");
        jsonl.create(fs, empty, "orders", COLUMNS).abandon();
        tear(empty, "{\"torn");
        assertEquals(0, jsonl.recover(fs, empty, path("part-00003.jsonl")));
        assertFalse(fs.exists(empty));
        assertFalse(fs.exists(path("part-00003.jsonl")), "no empty file is published");
    }

    @Test
    void aLargeBatchEncodedInParallelChunksKeepsItsOrder() throws Exception {
        JsonLinesFormat jsonl = new JsonLinesFormat(new DebeziumJsonFormat());
        Path temp = path(".part-00004.jsonl.p.inprogress");
        PartWriter w = jsonl.create(fs, temp, "orders", COLUMNS);
        List<ChangeEvent> batch = new ArrayList<>();
        for (int id = 1; id <= 5 * LineFormat.CHUNK + 7; id++) {
            batch.add(event(Op.CREATE, id, "n" + id));
        }
        w.write(batch, NOTHING_REFUSED);
        w.publish(fs, path("part-00004.jsonl"));
        List<String> lines = Files.readAllLines(dir.resolve("part-00004.jsonl"));
        assertEquals(batch.size(), lines.size());
        for (int i = 0; i < lines.size(); i++) {
            assertTrue(lines.get(i).contains("\"id\":" + (i + 1) + ","), "line " + i + " in source order");
        }
    }

    /** A value the typed file cannot hold (a price as text) leaves out that change only, before and after it stay. */
    @Test
    void aChangeTheFileCannotHoldIsRefusedAloneAndTheFileStaysWhole() throws Exception {
        ChangeEvent plain = event(Op.CREATE, 2, "poison");
        Map<String, Object> row = new LinkedHashMap<>(plain.after());
        row.put("price", "NaN");
        ChangeEvent poison = plain.withRows(null, row, COLUMNS);
        List<ChangeEvent> batch = List.of(event(Op.CREATE, 1, "a"), poison, event(Op.CREATE, 3, "c"));
        for (PartFormat format : List.of(new ParquetFormat(conf), new JsonLinesFormat(new formats.ChangeEventFormat() {
            final DebeziumJsonFormat debezium = new DebeziumJsonFormat();

            @Override
            public String name() {
                return "refuses the poison";
            }

            @Override
            public void write(ChangeEvent event, com.fasterxml.jackson.core.JsonGenerator g) throws java.io.IOException {
                if (event == poison) {
                    throw new IllegalArgumentException("cannot encode");
                }
                debezium.write(event, g);
            }
        }))) {
            Path temp = path(".part-00009." + format.extension() + ".p.inprogress");
            PartWriter w = format.create(fs, temp, "orders", COLUMNS);
            List<String> refused = new ArrayList<>();
            w.write(batch, (event, cause) -> refused.add(event.id() + " " + cause.getClass().getSimpleName()));
            w.sync(false);
            assertEquals(1, refused.size(), format.extension());
            assertTrue(refused.get(0).startsWith(poison.id()), refused.toString());
            assertEquals(2, w.records());
            Path published = path("part-00009." + format.extension());
            w.publish(fs, published);
            List<String> ids = new ArrayList<>();
            if (format instanceof ParquetFormat) {
                try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(HadoopInputFile.fromPath(published, conf)).build()) {
                    for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
                        ids.add(String.valueOf(r.get("id")));
                    }
                }
            } else {
                for (String line : Files.readAllLines(dir.resolve(published.getName()))) {
                    ids.add(new com.fasterxml.jackson.databind.ObjectMapper().readTree(line).at("/after/id").asText());
                }
            }
            assertEquals(List.of("1", "3"), ids, format.extension());
        }
    }

    @Test
    void parquetIsTypedAndRecoveredFromWholeStagedBlocks() throws Exception {
        ParquetFormat parquet = new ParquetFormat(conf);
        Path temp = path(".part-00001.parquet.p.inprogress");
        PartWriter w = parquet.create(fs, temp, "orders", COLUMNS);
        w.write(List.of(event(Op.READ, 1, "商品 1"), event(Op.DELETE, 2, "gone")), NOTHING_REFUSED);
        w.sync(false);
        w.abandon();
        tear(temp, "half an avro block");
        Path target = path("part-00001.parquet");

        assertEquals(2, parquet.recover(fs, temp, target));
        assertFalse(fs.exists(temp));
        List<GenericRecord> records = new ArrayList<>();
        try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(HadoopInputFile.fromPath(target, conf)).build()) {
            for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
                records.add(r);
            }
        }
        assertEquals(2, records.size());
        GenericRecord r = records.get(0);
        assertEquals("READ", r.get("__op").toString());
        assertEquals(Instant.parse("2026-11-22T10:15:31Z"), r.get("__commit_ts")); // the reader applies the logical types
        assertEquals(1, r.get("id"));
        assertEquals("商品 1", r.get("name").toString());
        org.apache.avro.Schema price = r.getSchema().getField("price").schema().getTypes().get(1);
        assertEquals(new BigDecimal("12.50"), new Conversions.DecimalConversion().fromBytes((ByteBuffer) r.get("price"), price, price.getLogicalType()));
        assertEquals(LogicalTypes.timestampMicros(), r.getSchema().getField("created").schema().getTypes().get(1).getLogicalType());
        assertEquals(Instant.parse("2026-11-22T10:15:30.123456Z"), r.get("created"));
        assertEquals(LocalDateTime.parse("2026-11-22T10:15:30.5"), r.get("local"));
        assertEquals(LocalDate.parse("2026-11-22"), r.get("day"));
        assertArrayEquals(new byte[]{1, 2, 3}, ((ByteBuffer) r.get("photo")).array());
        assertEquals("名前", r.getSchema().getField("__").getProp("sourceName"), "a name Avro refuses keeps its source name");
        assertNull(r.get("__"));
        assertEquals("DELETE", records.get(1).get("__op").toString());

        Path empty = path(".part-00002.parquet.p.inprogress");
        parquet.create(fs, empty, "orders", COLUMNS).abandon();
        assertEquals(0, parquet.recover(fs, empty, path("part-00002.parquet")));
        assertFalse(fs.exists(empty) || fs.exists(path("part-00002.parquet")));
    }

    @Test
    void parquetPublishedFromItsCopyHoldsEveryStagedRowInOrderAndLeavesNoOtherFile() throws Exception {
        ParquetFormat parquet = new ParquetFormat(conf);
        try {
            Path temp = path(".part-00003.parquet.p.inprogress");
            PartWriter w = parquet.create(fs, temp, "orders", COLUMNS);
            for (int batch = 0; batch < 10; batch++) { // more batches than the copy may have pending
                List<ChangeEvent> events = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    events.add(event(Op.READ, batch * 100 + i, "row " + (batch * 100 + i)));
                }
                w.write(events, NOTHING_REFUSED);
                w.sync(false);
            }
            Path target = path("part-00003.parquet");
            w.publish(fs, target);

            assertEquals(List.of("part-00003.parquet"), java.util.Arrays.stream(fs.listStatus(path("")))
                    .map(f -> f.getPath().getName()).filter(n -> n.contains("00003")).toList(), "no staging or converting file left");
            List<Integer> ids = new ArrayList<>();
            try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(HadoopInputFile.fromPath(target, conf)).build()) {
                for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
                    ids.add((Integer) r.get("id"));
                }
            }
            assertEquals(java.util.stream.IntStream.range(0, 1000).boxed().toList(), ids);
        } finally {
            parquet.close();
        }
    }

    @Test
    void aColumnWhoseDictionaryParquetGaveUpIsWrittenPlainlyInTheTablesNextPartsAndEveryEighthRelearns() throws Exception {
        ParquetFormat parquet = new ParquetFormat(conf);
        try {
            org.apache.avro.Schema table = new AvroRows("orders", COLUMNS).schema;
            List<Set<String>> plainBefore = new ArrayList<>();
            List<Boolean> priceDictionary = new ArrayList<>();
            for (int part = 1; part <= ParquetDictionaries.RELEARN_EVERY + 1; part++) {
                plainBefore.add(parquet.dictionaries.learned(table));
                Path temp = path(".part-1000" + part + ".parquet.p.inprogress");
                PartWriter w = parquet.create(fs, temp, "orders", COLUMNS);
                List<ChangeEvent> events = new ArrayList<>();
                for (int i = 0; i < 300; i++) {
                    events.add(event(Op.READ, part * 1000 + i, "row " + (part * 1000 + i))); // id and name unique, price the same
                }
                w.write(events, NOTHING_REFUSED);
                w.sync(false);
                Path target = path("part-1000" + part + ".parquet");
                w.publish(fs, target);
                List<Integer> ids = new ArrayList<>();
                try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(HadoopInputFile.fromPath(target, conf)).build()) {
                    for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
                        ids.add((Integer) r.get("id"));
                    }
                }
                assertEquals(java.util.stream.IntStream.range(part * 1000, part * 1000 + 300).boxed().toList(), ids, "part " + part);
                try (org.apache.parquet.hadoop.ParquetFileReader reader = org.apache.parquet.hadoop.ParquetFileReader.open(HadoopInputFile.fromPath(target, conf))) {
                    priceDictionary.add(reader.getFooter().getBlocks().get(0).getColumns().stream()
                            .filter(c -> c.getPath().toDotString().equals("price")).findFirst().orElseThrow().getEncodingStats().hasDictionaryEncodedPages());
                }
            }
            assertEquals(Set.of(), plainBefore.get(0), "the table's first part tries every dictionary");
            assertTrue(plainBefore.get(1).containsAll(Set.of("id", "name")), "Parquet gave up the unique columns' dictionaries: " + plainBefore.get(1));
            assertFalse(plainBefore.get(1).contains("price") || plainBefore.get(1).contains("__op"), "repeating columns keep theirs: " + plainBefore.get(1));
            assertEquals(java.util.Collections.nCopies(ParquetDictionaries.RELEARN_EVERY + 1, true), priceDictionary);
        } finally {
            parquet.close();
        }
    }

    @Test
    void anAbandonedParquetPartIsRecoveredFromItsStagingAndItsHalfCopyIsDeleted() throws Exception {
        ParquetFormat parquet = new ParquetFormat(conf);
        try {
            Path temp = path(".part-00004.parquet.p.inprogress");
            PartWriter w = parquet.create(fs, temp, "orders", COLUMNS);
            w.write(List.of(event(Op.READ, 1, "one"), event(Op.READ, 2, "two")), NOTHING_REFUSED);
            w.sync(false);
            w.write(List.of(event(Op.READ, 3, "three")), NOTHING_REFUSED); // written, never synced: a failed batch
            awaitCopy(".part-00004.parquet.p.converting"); // the copy is written on the format's own thread
            w.abandon();
            Path target = path("part-00004.parquet");

            long recovered = parquet.recover(fs, temp, target);

            assertTrue(recovered >= 2, "the synced rows at least: " + recovered);
            assertFalse(fs.exists(temp) || fs.exists(path(".part-00004.parquet.p.converting")));
            try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(HadoopInputFile.fromPath(target, conf)).build()) {
                assertEquals(1, reader.read().get("id"));
            }
        } finally {
            parquet.close();
        }
    }

    @Test
    void partsBeyondTheCopyBudgetConvertOnRollAndTheBudgetComesBack() throws Exception {
        ParquetFormat parquet = new ParquetFormat(conf);
        try {
            List<PartWriter> writers = new ArrayList<>();
            for (int i = 0; i <= ParquetFormat.MAX_COPIES; i++) {
                PartWriter w = parquet.create(fs, path(".part-1000" + i + ".parquet.p.inprogress"), "orders", COLUMNS);
                w.write(List.of(event(Op.READ, i, "part " + i)), NOTHING_REFUSED);
                w.sync(false);
                writers.add(w);
            }
            for (int i = 0; i < ParquetFormat.MAX_COPIES; i++) {
                awaitCopy(".part-1000" + i + ".parquet.p.converting"); // the copies within the budget have started
            }
            assertFalse(fs.exists(path(".part-1000" + ParquetFormat.MAX_COPIES + ".parquet.p.converting")), "the part beyond the budget has no copy");
            for (int i = 0; i <= ParquetFormat.MAX_COPIES; i++) {
                writers.get(i).publish(fs, path("part-1000" + i + ".parquet"));
                try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(
                        HadoopInputFile.fromPath(path("part-1000" + i + ".parquet"), conf)).build()) {
                    assertEquals(i, reader.read().get("id"));
                    assertNull(reader.read());
                }
            }
            PartWriter again = parquet.create(fs, path(".part-10010.parquet.p.inprogress"), "orders", COLUMNS);
            again.write(List.of(event(Op.READ, 10, "ten")), NOTHING_REFUSED);
            awaitCopy(".part-10010.parquet.p.converting"); // published parts gave their copies back
            again.abandon();
        } finally {
            parquet.close();
        }
    }
}
