package formats;

import com.fasterxml.jackson.core.JsonGenerator;
import model.ChangeEvent;
import model.Op;
import model.SourcePosition;
import model.TableId;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Map;

/**
 * Maxwell's JSON (docs/formats.md, "maxwell"): {@code database, table, type, ts, xid, xoffset|commit, position,
 * primary_key, primary_key_columns, data, old}; values typed (numbers as numbers), date-times as MySQL text.
 */
final class MaxwellJsonFormat extends MessageFormat {

    MaxwellJsonFormat(FormatSpec spec) {
        super(spec);
    }

    /** Maxwell's {@code bootstrap-start} / {@code bootstrap-complete} of a table, with empty {@code data}; no heartbeats. */
    @Override
    public byte[] marker(StreamMarker kind, TableId table, java.time.Instant at) {
        if (kind == StreamMarker.HEARTBEAT || table == null) {
            return null;
        }
        return ChangeEventFormat.bytesOf(g -> {
            g.writeStartObject();
            g.writeStringField("database", table.namespace());
            g.writeStringField("table", table.table());
            g.writeStringField("type", kind == StreamMarker.SNAPSHOT_START ? "bootstrap-start" : "bootstrap-complete");
            g.writeNumberField("ts", at.getEpochSecond());
            g.writeObjectFieldStart("data");
            g.writeEndObject();
            g.writeEndObject();
        });
    }

    @Override
    public void write(ChangeEvent e, JsonGenerator g) throws IOException {
        SourcePosition p = e.position();
        g.writeStartObject();
        g.writeStringField("database", e.table().namespace());
        g.writeStringField("table", e.table().table());
        if (e.op() == Op.DDL) {
            String type = DdlKind.of(e.ddl()).maxwell;
            g.writeStringField("type", type == null ? "ddl" : type);
            g.writeNumberField("ts", p.commitTs().getEpochSecond());
            g.writeStringField("sql", e.ddl());
            writePosition(g, p);
            writeOptions(g, e);
            g.writeEndObject();
            return;
        }
        g.writeStringField("type", switch (e.op()) {
            case READ -> "bootstrap-insert";
            case CREATE -> "insert";
            case UPDATE -> "update";
            case DELETE -> "delete";
            default -> throw new IllegalStateException(e.op().name());
        });
        g.writeNumberField("ts", p.commitTs().getEpochSecond());
        if (!p.snapshot() && p.txId() != null) {
            g.writeFieldName("xid");
            JsonValues.writeNumeric(g, p.txId());
            if (p.lastInTx()) {
                g.writeBooleanField("commit", true);
            } else {
                g.writeNumberField("xoffset", Math.max(0, p.seqInTx() - 1));
            }
        }
        writePosition(g, p);
        g.writeArrayFieldStart("primary_key");
        Map<String, Object> row = e.row();
        for (String column : e.primaryKey()) {
            writeValue(g, row.get(column));
        }
        g.writeEndArray();
        g.writeArrayFieldStart("primary_key_columns");
        for (String column : e.primaryKey()) {
            g.writeString(column);
        }
        g.writeEndArray();
        g.writeFieldName("data");
        writeRow(g, row);
        Map<String, Object> old = changed(e);
        if (old != null) {
            g.writeFieldName("old");
            writeRow(g, old);
        }
        writeOptions(g, e);
        g.writeEndObject();
    }

    private static void writePosition(JsonGenerator g, SourcePosition p) throws IOException {
        if (p.position() != null) {
            g.writeStringField("position", p.position());
        }
    }

    private static void writeRow(JsonGenerator g, Map<String, Object> row) throws IOException {
        g.writeStartObject();
        for (Map.Entry<String, Object> c : row.entrySet()) {
            g.writeFieldName(JsonValues.name(c.getKey()));
            writeValue(g, c.getValue());
        }
        g.writeEndObject();
    }

    /** Typed as {@link JsonValues} writes it, but date-times as MySQL text ({@code 2026-11-21 10:15:30}) like Maxwell. */
    private static void writeValue(JsonGenerator g, Object v) throws IOException {
        if (v instanceof LocalDateTime || v instanceof Instant) {
            g.writeString(text(v, true));
        } else {
            JsonValues.write(g, v);
        }
    }
}
