package testsupport;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what the HDFS sink published, as a reader of those files would: every final part file under a folder, in
 * write order (folder, then part number), each record as table, op and the row's values as text.
 */
public final class PartFiles {

    public static final Pattern FINAL = Pattern.compile("part-(\\d+)\\.(jsonl|csv|parquet)");
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .configure(com.fasterxml.jackson.databind.cfg.JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false); // 12.50 stays 12.50
    private static final Map<String, String> DEBEZIUM_OPS = Map.of("c", "CREATE", "u", "UPDATE", "d", "DELETE", "r", "READ");

    /** One published record; {@code values} as text (decimals plain, instants ISO-8601, dates ISO), NULL as null. */
    public record Rec(String table, String op, Map<String, String> values) {
    }

    private PartFiles() {
    }

    /** Every file under {@code base}, recursively (final and temporary). */
    public static List<Path> list(FileSystem fs, Path base) throws IOException {
        List<Path> files = new ArrayList<>();
        if (!fs.exists(base)) {
            return files;
        }
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(base, true);
        while (it.hasNext()) {
            files.add(it.next().getPath());
        }
        return files;
    }

    /** The final part files under {@code base}, in write order. */
    public static List<Path> published(FileSystem fs, Path base) throws IOException {
        return list(fs, base).stream().filter(p -> FINAL.matcher(p.getName()).matches())
                .sorted(Comparator.comparing((Path p) -> p.getParent().toString()).thenComparing(p -> partNumber(p)))
                .toList();
    }

    private static int partNumber(Path p) {
        Matcher m = FINAL.matcher(p.getName());
        return m.matches() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** All records of all published files under {@code base}, in write order. */
    public static List<Rec> readAll(FileSystem fs, Path base, int tableLevelsUp) throws IOException {
        List<Rec> all = new ArrayList<>();
        for (Path p : published(fs, base)) {
            Path tableFolder = p.getParent();
            for (int i = 1; i < tableLevelsUp; i++) {
                tableFolder = tableFolder.getParent();
            }
            all.addAll(read(fs, p, tableFolder.getName()));
        }
        return all;
    }

    /** One file's records; throws if the file is not whole. */
    public static List<Rec> read(FileSystem fs, Path file, String table) throws IOException {
        String name = file.getName();
        if (name.endsWith(".jsonl")) {
            return jsonl(fs, file, table);
        }
        if (name.endsWith(".csv")) {
            return csv(fs, file, table);
        }
        return parquet(fs, file, table);
    }

    private static List<Rec> jsonl(FileSystem fs, Path file, String table) throws IOException {
        List<Rec> records = new ArrayList<>();
        try (FSDataInputStream in = fs.open(file); BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                JsonNode e = JSON.readTree(line);
                String op = DEBEZIUM_OPS.get(e.get("op").asText());
                JsonNode row = "DELETE".equals(op) ? e.get("before") : e.get("after");
                Map<String, String> values = new LinkedHashMap<>();
                row.fields().forEachRemaining(f -> values.put(f.getKey(), f.getValue().isNull() ? null
                        : f.getValue().isBigDecimal() ? f.getValue().decimalValue().toPlainString() : f.getValue().asText()));
                records.add(new Rec(table, op, values));
            }
        }
        return records;
    }

    private static List<Rec> csv(FileSystem fs, Path file, String table) throws IOException {
        List<Rec> records = new ArrayList<>();
        try (FSDataInputStream in = fs.open(file);
             MappingIterator<List<String>> it = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY)
                     .readerForListOf(String.class).readValues((java.io.InputStream) in)) {
            List<String> header = it.next();
            while (it.hasNext()) {
                List<String> cells = it.next();
                if (cells.size() != header.size()) {
                    throw new IOException(file + ": a record of " + cells.size() + " fields under a header of " + header.size());
                }
                Map<String, String> values = new LinkedHashMap<>();
                for (int i = 2; i < header.size(); i++) {
                    values.put(header.get(i), cells.get(i).isEmpty() ? null : cells.get(i));
                }
                records.add(new Rec(table, cells.get(0), values));
            }
        }
        return records;
    }

    private static List<Rec> parquet(FileSystem fs, Path file, String table) throws IOException {
        List<Rec> records = new ArrayList<>();
        Configuration conf = fs.getConf();
        try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(HadoopInputFile.fromPath(file, conf)).build()) {
            for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
                Map<String, String> values = new LinkedHashMap<>();
                for (Schema.Field f : r.getSchema().getFields()) {
                    if (!f.name().startsWith("__")) {
                        values.put(f.name(), text(r.get(f.pos()), f.schema()));
                    }
                }
                records.add(new Rec(table, r.get("__op").toString(), values));
            }
        }
        return records;
    }

    private static String text(Object v, Schema nullable) {
        if (v == null) {
            return null;
        }
        Schema type = nullable.getType() == Schema.Type.UNION ? nullable.getTypes().get(1) : nullable;
        if (v instanceof ByteBuffer bytes && type.getLogicalType() instanceof LogicalTypes.Decimal d) {
            return new Conversions.DecimalConversion().fromBytes(bytes, type, d).toPlainString();
        }
        return v.toString(); // Utf8, numbers, booleans; java.time values for the date/time logical types
    }

    /** Applies the records in order: the table each one leaves behind, by {@code key} column. */
    public static Map<String, Map<String, Map<String, String>>> replay(List<Rec> records, String key) {
        Map<String, Map<String, Map<String, String>>> tables = new HashMap<>();
        for (Rec r : records) {
            Map<String, Map<String, String>> rows = tables.computeIfAbsent(r.table(), t -> new HashMap<>());
            if ("DELETE".equals(r.op())) {
                rows.remove(r.values().get(key));
            } else {
                rows.put(r.values().get(key), r.values());
            }
        }
        return tables;
    }
}
