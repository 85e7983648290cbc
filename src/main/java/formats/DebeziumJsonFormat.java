package formats;

import com.fasterxml.jackson.core.JsonGenerator;
import model.ChangeEvent;
import model.Op;
import model.SourcePosition;

import java.io.IOException;
import java.time.Instant;

/**
 * The Debezium envelope (docs/formats.md, "debezium"):
 * {@code {"before", "after", "source": {version, connector, name, ts_ms, ts_us, snapshot, db, schema, table, txId, lsn},
 * "op", "ts_ms"}} — the shape Debezium's JSON converter writes with {@code schemas.enable=false}, with values in
 * Tributary's documented encoding.
 */
public final class DebeziumJsonFormat implements ChangeEventFormat {

    public static final String VERSION = "tributary-0.1";

    @Override
    public String name() {
        return "debezium";
    }

    @Override
    public void write(ChangeEvent e, JsonGenerator g) throws IOException {
        if (e.op() == Op.DDL) {
            throw new IllegalArgumentException("the debezium format carries row changes only, not DDL");
        }
        SourcePosition p = e.position();
        g.writeStartObject();
        g.writeFieldName("before");
        JsonValues.write(g, e.before());
        g.writeFieldName("after");
        JsonValues.write(g, e.after());
        g.writeObjectFieldStart("source");
        g.writeStringField("version", VERSION);
        g.writeStringField("connector", p.connector());
        g.writeStringField("name", e.pipeline());
        Instant commit = p.commitTs();
        g.writeNumberField("ts_ms", commit.toEpochMilli());
        g.writeNumberField("ts_us", commit.getEpochSecond() * 1_000_000L + commit.getNano() / 1_000);
        g.writeStringField("snapshot", String.valueOf(p.snapshot()));
        g.writeStringField("db", e.table().database());
        g.writeStringField("schema", e.table().schema());
        g.writeStringField("table", e.table().table());
        g.writeFieldName("txId");
        JsonValues.writeNumeric(g, p.txId());
        g.writeFieldName("lsn");
        JsonValues.writeNumeric(g, p.position());
        g.writeEndObject();
        g.writeStringField("op", e.op().code());
        g.writeNumberField("ts_ms", System.currentTimeMillis());
        g.writeEndObject();
    }
}
