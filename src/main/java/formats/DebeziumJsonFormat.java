package formats;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import model.ChangeEvent;
import model.Op;
import model.SourcePosition;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;

/**
 * The Debezium envelope (docs/formats.md, "debezium"):
 * {@code {"before", "after", "source": {version, connector, name, ts_ms, ts_us, snapshot, db, schema, table, txId, lsn},
 * "op", "ts_ms"}} — the shape Debezium's JSON converter writes with {@code schemas.enable=false}, with values in
 * Tributary's documented encoding.
 */
public final class DebeziumJsonFormat implements ChangeEventFormat {

    public static final String VERSION = "tributary-0.1";

    // field names and constant values encoded once (every event writes them)
    private static final SerializedString BEFORE = new SerializedString("before");
    private static final SerializedString AFTER = new SerializedString("after");
    private static final SerializedString SOURCE = new SerializedString("source");
    private static final SerializedString VERSION_FIELD = new SerializedString("version");
    private static final SerializedString VERSION_TEXT = new SerializedString(VERSION);
    private static final SerializedString CONNECTOR = new SerializedString("connector");
    private static final SerializedString NAME = new SerializedString("name");
    private static final SerializedString TS_MS = new SerializedString("ts_ms");
    private static final SerializedString TS_US = new SerializedString("ts_us");
    private static final SerializedString SNAPSHOT = new SerializedString("snapshot");
    private static final SerializedString TRUE = new SerializedString("true");
    private static final SerializedString FALSE = new SerializedString("false");
    private static final SerializedString DB = new SerializedString("db");
    private static final SerializedString SCHEMA = new SerializedString("schema");
    private static final SerializedString TABLE = new SerializedString("table");
    private static final SerializedString TX_ID = new SerializedString("txId");
    private static final SerializedString LSN = new SerializedString("lsn");
    private static final SerializedString OP = new SerializedString("op");

    private final FormatSpec spec;

    /** Every row of a snapshot has the same source block (a tenth of the envelope's writing, per row). */
    private final RepeatedPart<SerializedString> snapshotSource = new RepeatedPart<>(
            (a, b) -> a.position().equals(b.position()) && a.table().equals(b.table()) && Objects.equals(a.pipeline(), b.pipeline()),
            e -> new SerializedString(new String(MessageBytes.of(g -> writeSource(e, g)), StandardCharsets.UTF_8)));

    public DebeziumJsonFormat() {
        this(FormatSpec.of("debezium"));
    }

    public DebeziumJsonFormat(FormatSpec spec) {
        this.spec = spec;
    }

    @Override
    public String name() {
        return "debezium";
    }

    /** A database, schema or table name: few, repeated by every event — encoded once. */
    private static void writeName(JsonGenerator g, String name) throws IOException {
        if (name == null) {
            g.writeNull();
        } else {
            g.writeString(JsonValues.name(name));
        }
    }

    private static void writeSource(ChangeEvent e, JsonGenerator g) throws IOException {
        SourcePosition p = e.position();
        g.writeStartObject();
        g.writeFieldName(VERSION_FIELD);
        g.writeString(VERSION_TEXT);
        g.writeFieldName(CONNECTOR);
        g.writeString(JsonValues.name(p.connector()));
        g.writeFieldName(NAME);
        g.writeString(JsonValues.name(e.pipeline()));
        Instant commit = p.commitTs();
        g.writeFieldName(TS_MS);
        g.writeNumber(commit.toEpochMilli());
        g.writeFieldName(TS_US);
        g.writeNumber(commit.getEpochSecond() * 1_000_000L + commit.getNano() / 1_000);
        g.writeFieldName(SNAPSHOT);
        g.writeString(p.snapshot() ? TRUE : FALSE);
        g.writeFieldName(DB);
        writeName(g, e.table().database());
        g.writeFieldName(SCHEMA);
        writeName(g, e.table().schema());
        g.writeFieldName(TABLE);
        writeName(g, e.table().table());
        g.writeFieldName(TX_ID);
        JsonValues.writeNumeric(g, p.txId());
        g.writeFieldName(LSN);
        JsonValues.writeNumeric(g, p.position());
        g.writeEndObject();
    }

    @Override
    public void write(ChangeEvent e, JsonGenerator g) throws IOException {
        if (e.op() == Op.DDL) {
            throw new IllegalArgumentException("the debezium format carries row changes only, not DDL");
        }
        SourcePosition p = e.position();
        g.writeStartObject();
        g.writeFieldName(BEFORE);
        JsonValues.write(g, e.before());
        g.writeFieldName(AFTER);
        JsonValues.write(g, e.after());
        g.writeFieldName(SOURCE);
        SerializedString source = snapshotSource.of(e);
        if (source != null) {
            g.writeRawValue(source);
        } else {
            writeSource(e, g);
        }
        g.writeFieldName(OP);
        g.writeString(e.op().code());
        g.writeFieldName(TS_MS);
        g.writeNumber(System.currentTimeMillis());
        if (spec.transactionSequence()) {
            // Debezium's own transaction block (provide.transaction.metadata): total_order = place in the transaction
            g.writeObjectFieldStart("transaction");
            g.writeFieldName("id");
            if (p.txId() == null) {
                g.writeNull();
            } else {
                g.writeString(p.txId());
            }
            g.writeNumberField("total_order", p.seqInTx());
            g.writeEndObject();
        }
        if (spec.businessSystemId() != null) {
            g.writeStringField("businessSystemId", spec.businessSystemId());
        }
        g.writeEndObject();
    }
}
