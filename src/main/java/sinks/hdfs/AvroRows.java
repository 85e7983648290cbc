package sinks.hdfs;

import formats.JsonValues;
import model.ChangeEvent;
import model.SourceType;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A table's rows as Avro records: the typed schema the Parquet files get (docs/sinks/hdfs.md has the type table).
 * Every column is nullable (a delete's before image may carry the key only); {@code __op} and {@code __commit_ts} come
 * first. Column names that Avro refuses (spaces, non-ASCII, ...) are written with {@code _} in their place and keep
 * their source name in the field property {@code sourceName}.
 */
final class AvroRows {

    static final String OP = "__op";
    static final String COMMIT_TS = "__commit_ts";
    private static final Conversions.DecimalConversion DECIMALS = new Conversions.DecimalConversion();

    final Schema schema;

    AvroRows(String table, Map<String, String> columns) {
        SchemaBuilder.FieldAssembler<Schema> record = SchemaBuilder.record(avroName(table, new HashSet<>())).namespace("tributary").fields()
                .name(OP).type().stringType().noDefault()
                .name(COMMIT_TS).type(LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG))).noDefault();
        Set<String> taken = new HashSet<>(Set.of(OP, COMMIT_TS));
        Map<String, String> names = new LinkedHashMap<>();
        for (Map.Entry<String, String> c : columns.entrySet()) {
            String name = avroName(c.getKey(), taken);
            names.put(c.getKey(), name);
            Schema type = Schema.createUnion(Schema.create(Schema.Type.NULL), avroType(SourceType.parse(c.getValue())));
            SchemaBuilder.FieldBuilder<Schema> field = record.name(name).prop("sourceType", c.getValue());
            if (!name.equals(c.getKey())) {
                field = field.prop("sourceName", c.getKey());
            }
            field.type(type).withDefault(null);
        }
        schema = record.endRecord();
        Map<String, Schema.Field> fields = new LinkedHashMap<>(); // source column → Avro field
        names.forEach((column, name) -> fields.put(column, schema.getField(name)));
        columnNames = fields.keySet().toArray(String[]::new);
        positions = fields.values().stream().mapToInt(Schema.Field::pos).toArray();
        columnTypes = fields.values().stream().map(f -> f.schema().getTypes().get(1)).toArray(Schema[]::new);
    }

    // the same, by place, for the record of every row: source column, Avro field position, the union's non-null type
    private final String[] columnNames;
    private final int[] positions;
    private final Schema[] columnTypes;

    /** The Avro type of a source type; what has no exact Avro type travels as text. */
    static Schema avroType(SourceType t) {
        return switch (t.name()) {
            case "INT2", "SMALLINT", "SMALLSERIAL", "TINYINT", "INT4", "INT", "INTEGER", "SERIAL", "MEDIUMINT" -> Schema.create(Schema.Type.INT);
            case "INT8", "BIGINT", "BIGSERIAL" -> Schema.create(Schema.Type.LONG);
            case "NUMERIC", "DECIMAL" -> t.length() > 0
                    ? LogicalTypes.decimal(t.length(), Math.max(t.scale(), 0)).addToSchema(Schema.create(Schema.Type.BYTES))
                    : Schema.create(Schema.Type.STRING); // unbounded scale: exact only as text
            case "FLOAT4", "REAL", "FLOAT" -> Schema.create(Schema.Type.FLOAT);
            case "FLOAT8", "DOUBLE PRECISION", "DOUBLE" -> Schema.create(Schema.Type.DOUBLE);
            case "BOOL", "BOOLEAN" -> Schema.create(Schema.Type.BOOLEAN);
            case "DATE" -> LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT));
            case "TIME" -> LogicalTypes.timeMicros().addToSchema(Schema.create(Schema.Type.LONG));
            case "TIMESTAMP", "DATETIME" -> LogicalTypes.localTimestampMicros().addToSchema(Schema.create(Schema.Type.LONG));
            case "TIMESTAMPTZ" -> LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG));
            case "BYTEA", "BLOB", "BINARY", "VARBINARY", "LONGBLOB" -> Schema.create(Schema.Type.BYTES);
            case "UUID" -> LogicalTypes.uuid().addToSchema(Schema.create(Schema.Type.STRING));
            default -> Schema.create(Schema.Type.STRING); // text, json, interval, ...
        };
    }

    /**
     * Writes this schema's records: every column is the union {@code [null, type]}, so the branch is whether the value
     * is null — Avro's generic writer finds it by the value's type name and a look-up per value, per column.
     */
    GenericDatumWriter<GenericRecord> writer() {
        return new GenericDatumWriter<>(schema) {
            @Override
            protected int resolveUnion(Schema union, Object datum) {
                return datum == null ? 0 : 1;
            }
        };
    }

    GenericRecord record(ChangeEvent event) {
        GenericData.Record r = new GenericData.Record(schema);
        r.put(0, event.op().name());
        r.put(1, event.position().commitTs().toEpochMilli());
        Map<String, Object> row = event.row();
        for (int i = 0; i < columnNames.length; i++) {
            Object v = row == null ? null : row.get(columnNames[i]);
            Schema type = columnTypes[i];
            try {
                r.put(positions[i], v == null ? null : value(v, type));
            } catch (RuntimeException cannotHold) {
                throw new IllegalArgumentException("column " + columnNames[i] + ": a " + v.getClass().getSimpleName() + " value does not fit the file's "
                        + (type.getLogicalType() == null ? type.getType().getName() : type.getLogicalType().getName()) + " type ("
                        + cannotHold.getClass().getSimpleName() + ")", cannotHold);
            }
        }
        return r;
    }

    /** A model value in the Avro representation of {@code type}. */
    private static Object value(Object v, Schema type) {
        return switch (type.getType()) {
            case INT -> v instanceof LocalDate d ? (int) d.toEpochDay() : ((Number) v).intValue();
            case LONG -> {
                if (v instanceof Instant t) {
                    yield Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
                } else if (v instanceof LocalDateTime t) {
                    Instant i = t.toInstant(ZoneOffset.UTC);
                    yield Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000L), i.getNano() / 1000);
                } else if (v instanceof LocalTime t) {
                    yield t.toNanoOfDay() / 1000;
                }
                yield ((Number) v).longValue();
            }
            case FLOAT -> ((Number) v).floatValue();
            case DOUBLE -> ((Number) v).doubleValue();
            case BOOLEAN -> v;
            case BYTES -> {
                if (type.getLogicalType() instanceof LogicalTypes.Decimal d) {
                    yield DECIMALS.toBytes(((BigDecimal) v).setScale(d.getScale(), RoundingMode.UNNECESSARY), type, d);
                }
                yield ByteBuffer.wrap((byte[]) v);
            }
            default -> JsonValues.text(v);
        };
    }

    private static String avroName(String name, Set<String> taken) {
        String n = name.replaceAll("[^A-Za-z0-9_]", "_");
        if (n.isEmpty() || !Character.isLetter(n.charAt(0)) && n.charAt(0) != '_') {
            n = "_" + n;
        }
        String unique = n;
        for (int i = 2; !taken.add(unique); i++) {
            unique = n + "_" + i;
        }
        return unique;
    }
}
