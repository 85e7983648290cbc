package formats;

import com.fasterxml.jackson.core.JsonGenerator;
import model.ChangeEvent;
import model.Op;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Canal's FlatMessage JSON (docs/formats.md, "canal"), as canal-server writes it to Kafka / RocketMQ
 * ({@code flatMessage=true}) — one message per row change: {@code data} holds one row, values as text.
 */
final class CanalJsonFormat extends MessageFormat {

    /** Canal numbers its messages; one counter per pipeline's format, increasing for the life of the process. */
    private final AtomicLong ids = new AtomicLong();

    CanalJsonFormat(FormatSpec spec) {
        super(spec);
    }

    @Override
    public void write(ChangeEvent e, JsonGenerator g) throws IOException {
        boolean ddl = e.op() == Op.DDL;
        g.writeStartObject();
        g.writeNumberField("id", ids.incrementAndGet());
        g.writeStringField("database", e.table().namespace());
        g.writeStringField("table", e.table().table());
        g.writeFieldName("pkNames");
        if (ddl || e.primaryKey().isEmpty()) {
            g.writeNull();
        } else {
            g.writeStartArray();
            for (String column : e.primaryKey()) {
                g.writeString(column);
            }
            g.writeEndArray();
        }
        g.writeBooleanField("isDdl", ddl);
        g.writeStringField("type", ddl ? DdlKind.of(e.ddl()).canal : switch (e.op()) {
            case CREATE, READ -> "INSERT";
            case UPDATE -> "UPDATE";
            case DELETE -> "DELETE";
            default -> throw new IllegalStateException(e.op().name());
        });
        g.writeNumberField("es", e.position().commitTs().toEpochMilli());
        g.writeNumberField("ts", System.currentTimeMillis());
        g.writeStringField("sql", ddl ? e.ddl() : "");
        if (ddl) {
            g.writeNullField("sqlType");
            g.writeNullField("mysqlType");
            g.writeNullField("data");
            g.writeNullField("old");
        } else {
            g.writeObjectFieldStart("sqlType");
            for (Map.Entry<String, String> c : e.columns().entrySet()) {
                g.writeNumberField(c.getKey(), SqlTypes.jdbcType(c.getValue()));
            }
            g.writeEndObject();
            g.writeObjectFieldStart("mysqlType");
            for (Map.Entry<String, String> c : e.columns().entrySet()) {
                g.writeStringField(c.getKey(), c.getValue().toLowerCase(Locale.ROOT));
            }
            g.writeEndObject();
            g.writeArrayFieldStart("data");
            writeTextRow(g, e.row(), false);
            g.writeEndArray();
            Map<String, Object> old = changed(e);
            g.writeFieldName("old");
            if (old == null) {
                g.writeNull();
            } else {
                g.writeStartArray();
                writeTextRow(g, old, false);
                g.writeEndArray();
            }
        }
        writeOptions(g, e);
        g.writeEndObject();
    }
}
