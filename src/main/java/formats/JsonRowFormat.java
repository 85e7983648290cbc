package formats;

import com.fasterxml.jackson.core.JsonGenerator;
import model.ChangeEvent;
import model.Op;

import java.io.IOException;
import java.util.Map;

/**
 * The row alone ({@code json-row}; docs/formats.md): the row after the change — before it, for a delete — as one
 * flat object, plus {@code __op}, {@code __table} and {@code __ts} (the names Debezium's unwrap transform uses for such
 * fields, so they cannot collide with a column named {@code op} or {@code ts}).
 */
final class JsonRowFormat extends MessageFormat {

    JsonRowFormat(FormatSpec spec) {
        super(spec);
    }

    @Override
    public boolean carriesDdl() {
        return false;
    }

    @Override
    public void write(ChangeEvent e, JsonGenerator g) throws IOException {
        if (e.op() == Op.DDL) {
            throw new IllegalArgumentException("the json-row format carries row changes only, not DDL");
        }
        g.writeStartObject();
        for (Map.Entry<String, Object> c : e.row().entrySet()) {
            g.writeFieldName(JsonValues.name(c.getKey()));
            JsonValues.write(g, c.getValue());
        }
        g.writeStringField("__op", e.op().code());
        g.writeStringField("__table", e.table().qualifiedName());
        g.writeNumberField("__ts", e.position().commitTs().toEpochMilli());
        if (spec.transactionSequence()) {
            g.writeNumberField("__transactionSequence", e.position().seqInTx());
        }
        if (spec.businessSystemId() != null) {
            g.writeStringField("__businessSystemId", spec.businessSystemId());
        }
        g.writeEndObject();
    }
}
