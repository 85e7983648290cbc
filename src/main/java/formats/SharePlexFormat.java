package formats;

import com.fasterxml.jackson.core.JsonGenerator;
import model.ChangeEvent;
import model.Op;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * SharePlex JSON as OMS offers it (docs/formats.md, "shareplex"): {@code {"meta": {time, op, trans, table, posttime},
 * "data": {...}, "key": {...}}} with ops {@code ins}, {@code upd}, {@code del}. An insert's {@code data} is the new row,
 * a delete's the old row; an update's {@code data} holds the changed columns' new values and {@code key} the old row
 * (or, when the source logged none, the key columns), so a reader rebuilds the row as key ∪ data. Values are text
 * ({@code typedValues: true}: numbers and booleans as JSON), bytes Base64, date-times ISO-8601; times in {@code meta}
 * are UTC {@code yyyy-MM-ddTHH:mm:ss}. DDL (opt-in, {@code ddl: true}) is Tributary's extension:
 * {@code "op": "ddl"} with the statement in {@code data.ddl}; a truncate {@code "op": "truncate"} with empty data.
 */
final class SharePlexFormat extends MessageFormat {

    private static final DateTimeFormatter META_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

    SharePlexFormat(FormatSpec spec) {
        super(spec);
    }

    @Override
    public void write(ChangeEvent e, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeObjectFieldStart("meta");
        g.writeStringField("time", META_TIME.format(e.position().commitTs().truncatedTo(ChronoUnit.SECONDS)));
        String op = switch (e.op()) {
            case CREATE, READ -> "ins";
            case UPDATE -> "upd";
            case DELETE -> "del";
            case DDL -> DdlKind.of(e.ddl()) == DdlKind.TRUNCATE_TABLE ? "truncate" : "ddl";
        };
        g.writeStringField("op", op);
        if (e.position().txId() != null && !e.position().snapshot()) {
            g.writeStringField("trans", e.position().txId());
        }
        long size = e.position().txSize();
        if (spec.transactionSequence() && size > 0 && e.op() != Op.DDL) {
            g.writeNumberField("seq", e.position().seqInTx());
            g.writeNumberField("size", size);
        }
        g.writeStringField("table", e.table().namespace() + "." + e.table().table());
        if (spec.transactionSequence() && size > 0 && e.op() != Op.DDL) {
            g.writeStringField("idx", e.position().seqInTx() + "/" + size);
        }
        g.writeStringField("posttime", META_TIME.format(Instant.now()));
        g.writeEndObject();
        switch (e.op()) {
            case CREATE, READ -> writeRow(g, "data", e.after());
            case DELETE -> writeRow(g, "data", e.before());
            case UPDATE -> {
                Map<String, Object> old = changed(e);
                if (old == null) { // no old row logged: every new value, and the key to find the row
                    writeRow(g, "data", e.after());
                    writeRow(g, "key", e.key());
                } else {
                    Map<String, Object> now = new LinkedHashMap<>();
                    old.keySet().forEach(column -> now.put(column, e.after().get(column)));
                    writeRow(g, "data", now);
                    writeRow(g, "key", e.before());
                }
            }
            case DDL -> {
                g.writeObjectFieldStart("data");
                if (!op.equals("truncate")) {
                    g.writeStringField("ddl", e.ddl());
                }
                g.writeEndObject();
            }
        }
        if (spec.businessSystemId() != null) {
            g.writeStringField("businessSystemId", spec.businessSystemId());
        }
        g.writeEndObject();
    }

    private void writeRow(JsonGenerator g, String field, Map<String, Object> row) throws IOException {
        g.writeObjectFieldStart(field);
        for (Map.Entry<String, Object> c : row.entrySet()) {
            g.writeFieldName(JsonValues.name(c.getKey()));
            Object v = c.getValue();
            if (v == null) {
                g.writeNull();
            } else if (spec.typedValues() && (v instanceof Number || v instanceof Boolean)) {
                JsonValues.write(g, v);
            } else {
                g.writeString(text(v));
            }
        }
        g.writeEndObject();
    }

    /** ISO-8601 text; a timestamp with time zone in UTC without the 'Z', as the format's samples write times. */
    private static String text(Object v) {
        if (v instanceof Instant t) {
            return IsoText.of(LocalDateTime.ofInstant(t, ZoneOffset.UTC));
        }
        return JsonValues.text(v);
    }
}
