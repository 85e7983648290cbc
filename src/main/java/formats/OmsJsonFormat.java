package formats;

import com.fasterxml.jackson.core.JsonGenerator;
import model.ChangeEvent;
import model.Op;
import model.SourcePosition;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * OceanBase Migration Service's "Default" JSON ({@code oms-default}) and "DefaultExtendColumnType" ({@code oms-extend},
 * which adds {@code __light_type} and writes binary values as Base64); docs/formats.md, "oms-default".
 */
final class OmsJsonFormat extends MessageFormat {

    /** OMS joins the columns (and values) of a multi-column primary key with U+0001. */
    static final String SEPARATOR = "\u0001";

    private final boolean extended;

    OmsJsonFormat(FormatSpec spec, boolean extended) {
        super(spec);
        this.extended = extended;
    }

    /**
     * OMS's {@code HEARTBEAT} record: no rows, {@code checkpoint} and {@code timestamp} at the position reached (seconds),
     * so a consumer sees an idle stream's progress. No snapshot markers.
     */
    @Override
    public byte[] marker(StreamMarker kind, model.TableId table, java.time.Instant at) {
        if (kind != StreamMarker.HEARTBEAT) {
            return null;
        }
        return ChangeEventFormat.bytesOf(g -> {
            g.writeStartObject();
            g.writeNullField("prevStruct");
            g.writeNullField("postStruct");
            g.writeObjectFieldStart("allMetaData");
            g.writeStringField("checkpoint", String.valueOf(at.getEpochSecond()));
            g.writeNumberField("storeDataSequence", at.toEpochMilli() * 1_000_000L);
            g.writeStringField("timestamp", String.valueOf(at.getEpochSecond()));
            g.writeStringField("uniqueId", "heartbeat:" + at.toEpochMilli());
            g.writeStringField("transId", "");
            if (spec.businessSystemId() != null) {
                g.writeStringField("businessSystemId", spec.businessSystemId());
            }
            g.writeEndObject();
            g.writeStringField("recordType", "HEARTBEAT");
            g.writeEndObject();
        });
    }

    @Override
    public void write(ChangeEvent e, JsonGenerator g) throws IOException {
        boolean ddl = e.op() == Op.DDL;
        g.writeStartObject();
        g.writeFieldName("prevStruct");
        writeStruct(g, e, ddl || e.op() == Op.CREATE || e.op() == Op.READ ? null : e.before(), e.op() == Op.DELETE);
        g.writeFieldName("postStruct");
        writeStruct(g, e, ddl || e.op() == Op.DELETE ? null : e.after(), true);
        writeMetaData(g, e);
        g.writeStringField("recordType", switch (e.op()) {
            case READ -> "ROW";
            case CREATE -> "INSERT";
            case UPDATE -> "UPDATE";
            case DELETE -> "DELETE";
            case DDL -> "DDL";
        });
        g.writeEndObject();
    }

    /** A row as text values; oms-extend puts {@code __light_type} into the row it writes last (postStruct, or a delete's prevStruct). */
    private void writeStruct(JsonGenerator g, ChangeEvent e, Map<String, Object> row, boolean typesHere) throws IOException {
        if (row == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        writeTextColumns(g, row, extended);
        if (extended && typesHere) {
            g.writeObjectFieldStart("__light_type");
            for (String column : row.keySet()) {
                g.writeObjectFieldStart(column);
                g.writeStringField("schemaType", SqlTypes.lightType(e.columns().get(column)));
                g.writeEndObject();
            }
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private void writeMetaData(JsonGenerator g, ChangeEvent e) throws IOException {
        SourcePosition p = e.position();
        boolean ddl = e.op() == Op.DDL;
        String keyValues = ddl ? "" : e.key().values().stream().map(v -> String.valueOf(text(v, extended))).collect(Collectors.joining(SEPARATOR));
        g.writeObjectFieldStart("allMetaData");
        // incremental: the commit time in seconds; a snapshot row: its primary-key value (where a full load stands)
        g.writeStringField("checkpoint", p.snapshot() ? keyValues : String.valueOf(p.commitTs().getEpochSecond()));
        g.writeStringField("record_primary_key", String.join(SEPARATOR, e.primaryKey()));
        g.writeStringField("record_primary_value", keyValues);
        g.writeStringField("source_identity", e.pipeline());
        g.writeStringField("dbType", dbType(p.connector()));
        // sorts changes: commit milliseconds, then the change's place in its transaction
        g.writeNumberField("storeDataSequence", p.commitTs().toEpochMilli() * 1_000_000L + p.seqInTx() % 1_000_000L);
        g.writeStringField("table_name", e.table().table());
        g.writeStringField("db", e.table().namespace());
        g.writeStringField("timestamp", String.valueOf(p.commitTs().getEpochSecond()));
        g.writeStringField("uniqueId", ddl ? p.connector() + ":" + e.table().qualifiedName() + ":" + p.position() : e.id());
        g.writeStringField("transId", p.txId() == null ? "" : p.txId());
        if (ddl) {
            g.writeStringField("ddlType", DdlKind.of(e.ddl()).name());
            g.writeStringField("ddl", e.ddl());
        } else {
            g.writeNullField("ddlType");
        }
        if (spec.transactionSequence() && !ddl) {
            g.writeNumberField("transactionSequence", p.seqInTx());
        }
        if (spec.businessSystemId() != null) {
            g.writeStringField("businessSystemId", spec.businessSystemId());
        }
        g.writeEndObject();
    }

    /** OMS names source databases in upper case (MYSQL, OB_MYSQL…); ours by the connector that read the change. */
    private static String dbType(String connector) {
        return connector == null ? "UNKNOWN" : connector.toUpperCase(Locale.ROOT);
    }
}
