package formats;

import com.fasterxml.jackson.core.JsonGenerator;
import model.ChangeEvent;
import model.Op;
import model.SourcePosition;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * DataWorks' Kafka message JSON as OMS offers it ("Dataworks (version 2.0)"; docs/formats.md, "dataworks"):
 * {@code {"schema": {dataColumn: [{name, type}], primaryKey, source: {dbType, dbVersion, dbName, schemaName, tableName}},
 * "payload": {before, after, sequenceId, op, timestamp: {eventTime, systemTime, checkpointTime}, ddl}, "version": "2.0"}}
 * with rows as {@code {"dataColumn": {column: value}}}. Column types are DataWorks' six: BOOLEAN, LONG, DOUBLE, DATE
 * (epoch milliseconds; zone-less date-times read as UTC), BYTES (Base64) and STRING. An update is two messages,
 * {@code UPDATE_BEFOR} (sic) then {@code UPDATE_AFTER}, unless {@code updateMode: combined}.
 */
final class DataWorksFormat extends MessageFormat {

    /** Orders the messages of this process: with the commit millisecond it makes {@code sequenceId}. */
    private final AtomicLong sequence = new AtomicLong();

    DataWorksFormat(FormatSpec spec) {
        super(spec);
    }

    @Override
    public int parts(ChangeEvent e) {
        return e.op() == Op.UPDATE && spec.splitUpdates() ? 2 : 1;
    }

    /** Every part, one JSON value per line. */
    @Override
    public void write(ChangeEvent e, JsonGenerator g) throws IOException {
        for (int part = 0; part < parts(e); part++) {
            if (part > 0) {
                g.writeRaw('\n');
            }
            write(e, part, g);
        }
    }

    /** DataWorks' {@code MHEARTBEAT}: schema, rows and DDL null, {@code eventTime} at the position reached. No snapshot markers. */
    @Override
    public byte[] marker(StreamMarker kind, model.TableId table, java.time.Instant at) {
        if (kind != StreamMarker.HEARTBEAT) {
            return null;
        }
        return ChangeEventFormat.bytesOf(g -> {
            long eventTime = at.toEpochMilli();
            g.writeStartObject();
            g.writeNullField("schema");
            g.writeObjectFieldStart("payload");
            g.writeNullField("before");
            g.writeNullField("after");
            g.writeStringField("sequenceId", String.format(Locale.ROOT, "%013d%06d", eventTime, sequence.incrementAndGet() % 1_000_000L));
            g.writeStringField("op", "MHEARTBEAT");
            g.writeObjectFieldStart("timestamp");
            g.writeNumberField("eventTime", eventTime);
            g.writeNumberField("systemTime", System.currentTimeMillis());
            g.writeNumberField("checkpointTime", eventTime);
            g.writeEndObject();
            g.writeNullField("ddl");
            g.writeEndObject();
            g.writeStringField("version", "2.0");
            g.writeEndObject();
        });
    }

    @Override
    public void write(ChangeEvent e, int part, JsonGenerator g) throws IOException {
        boolean ddl = e.op() == Op.DDL;
        String op = ddl ? DdlKind.of(e.ddl()).canal : switch (e.op()) {
            case CREATE, READ -> "INSERT";
            case UPDATE -> part == 0 && spec.splitUpdates() ? "UPDATE_BEFOR" : "UPDATE_AFTER";
            case DELETE -> "DELETE";
            default -> throw new IllegalStateException(e.op().name());
        };
        g.writeStartObject();
        writeSchema(g, e, ddl);
        g.writeObjectFieldStart("payload");
        g.writeFieldName("before");
        writeRow(g, e, ddl || op.equals("INSERT") || op.equals("UPDATE_AFTER") && spec.splitUpdates() ? null : e.before());
        g.writeFieldName("after");
        writeRow(g, e, ddl || op.equals("DELETE") || op.equals("UPDATE_BEFOR") ? null : e.after());
        SourcePosition p = e.position();
        long eventTime = p.commitTs().toEpochMilli();
        // 13-digit commit millisecond, then a 6-digit counter: sorts as a number and as text; snapshot rows carry the
        // snapshot's time, before every change streamed after it
        g.writeStringField("sequenceId", String.format(Locale.ROOT, "%013d%06d", eventTime, sequence.incrementAndGet() % 1_000_000L));
        g.writeStringField("op", op);
        g.writeObjectFieldStart("timestamp");
        g.writeNumberField("eventTime", eventTime);
        g.writeNumberField("systemTime", System.currentTimeMillis());
        g.writeNumberField("checkpointTime", eventTime);
        g.writeEndObject();
        g.writeFieldName("ddl");
        if (ddl) {
            g.writeStartObject();
            g.writeStringField("text", e.ddl());
            g.writeNullField("ddlMeta");
            g.writeEndObject();
        } else {
            g.writeNull();
        }
        writeOptions(g, e);
        g.writeEndObject();
        g.writeStringField("version", "2.0");
        g.writeEndObject();
    }

    private void writeSchema(JsonGenerator g, ChangeEvent e, boolean ddl) throws IOException {
        g.writeObjectFieldStart("schema");
        if (ddl) {
            g.writeNullField("dataColumn");
            g.writeNullField("primaryKey");
        } else {
            g.writeArrayFieldStart("dataColumn");
            for (Map.Entry<String, String> c : e.columns().entrySet()) {
                g.writeStartObject();
                g.writeStringField("name", c.getKey());
                g.writeStringField("type", type(c.getValue()));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("primaryKey");
            for (String column : e.primaryKey()) {
                g.writeString(column);
            }
            g.writeEndArray();
        }
        g.writeObjectFieldStart("source");
        g.writeStringField("dbType", e.position().connector() == null ? null : e.position().connector().toLowerCase(Locale.ROOT));
        g.writeNullField("dbVersion"); // not known to Tributary: null rather than an invented version
        String database = e.table().database() != null ? e.table().database() : e.table().namespace();
        g.writeStringField("dbName", database);
        g.writeStringField("schemaName", e.table().schema() != null ? e.table().schema() : database);
        g.writeStringField("tableName", e.table().table());
        g.writeEndObject();
        g.writeEndObject();
    }

    /** {@code {"dataColumn": {column: value}}}, each value as its column's DataWorks type writes it; null stays null. */
    private void writeRow(JsonGenerator g, ChangeEvent e, Map<String, Object> row) throws IOException {
        if (row == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        g.writeObjectFieldStart("dataColumn");
        for (Map.Entry<String, Object> c : row.entrySet()) {
            g.writeFieldName(JsonValues.name(c.getKey()));
            writeValue(g, type(e.columns().get(c.getKey())), c.getValue());
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    /** The DataWorks type of a source type. */
    String type(String sourceType) {
        if (sourceType == null) {
            return "STRING";
        }
        return switch (SqlTypes.jdbcType(sourceType)) {
            case Types.BOOLEAN -> "BOOLEAN";
            // an unsigned 64-bit value may not fit a signed long
            case Types.BIGINT -> sourceType.toUpperCase(Locale.ROOT).contains("UNSIGNED") ? "STRING" : "LONG";
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER -> "LONG";
            case Types.REAL, Types.DOUBLE -> "DOUBLE";
            case Types.DECIMAL, Types.NUMERIC -> spec.decimalsAsText() ? "STRING" : "DOUBLE";
            case Types.DATE, Types.TIME, Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE -> "DATE";
            case Types.BLOB, Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY -> "BYTES";
            default -> "STRING";
        };
    }

    private static void writeValue(JsonGenerator g, String type, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
            return;
        }
        switch (type) {
            case "BOOLEAN" -> {
                if (v instanceof Boolean b) {
                    g.writeBoolean(b);
                } else {
                    g.writeString(JsonValues.text(v));
                }
            }
            case "LONG" -> {
                if (v instanceof Number n && !(v instanceof BigDecimal) && !(v instanceof Double) && !(v instanceof Float)) {
                    g.writeNumber(n instanceof BigInteger i ? i : BigInteger.valueOf(n.longValue()));
                } else {
                    g.writeString(JsonValues.text(v));
                }
            }
            case "DOUBLE" -> JsonValues.write(g, v); // decimals as their exact digits (a JSON number all the same)
            case "DATE" -> {
                Long millis = epochMillis(v);
                if (millis == null) {
                    g.writeString(JsonValues.text(v));
                } else {
                    g.writeNumber(millis);
                }
            }
            case "BYTES" -> {
                if (v instanceof byte[] bytes) {
                    g.writeBinary(bytes);
                } else {
                    g.writeString(JsonValues.text(v));
                }
            }
            default -> g.writeString(JsonValues.text(v));
        }
    }

    /** A date or time as epoch milliseconds, zone-less values read as UTC; null when the value is none of these. */
    static Long epochMillis(Object v) {
        if (v instanceof Instant t) {
            return t.toEpochMilli();
        }
        if (v instanceof LocalDateTime t) {
            return t.toInstant(ZoneOffset.UTC).toEpochMilli();
        }
        if (v instanceof LocalDate d) {
            return d.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        }
        if (v instanceof LocalTime t) {
            return t.toNanoOfDay() / 1_000_000L; // the time on 1970-01-01 UTC
        }
        return null;
    }
}
