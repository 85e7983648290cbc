package formats;

import com.fasterxml.jackson.core.JsonGenerator;
import model.ChangeEvent;
import model.Op;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What the message formats share: their options ({@link FormatSpec}), the columns an update changed, and values as
 * MySQL-style text (Canal, OMS), where a date-time has a space, not a 'T', as the tools that read those formats expect.
 */
abstract class MessageFormat implements ChangeEventFormat {

    protected final FormatSpec spec;

    MessageFormat(FormatSpec spec) {
        this.spec = spec;
    }

    @Override
    public String name() {
        return spec.type();
    }

    @Override
    public boolean carriesDdl() {
        return Formats.carriesDdl(spec.type()) && spec.ddl();
    }

    /** The old values of the columns an update changed; null when the source logged no old row (or not an update). */
    static Map<String, Object> changed(ChangeEvent e) {
        if (e.op() != Op.UPDATE || e.before() == null) {
            return null;
        }
        Map<String, Object> old = new LinkedHashMap<>();
        e.before().forEach((column, was) -> {
            Object now = e.after().get(column);
            boolean same = was instanceof byte[] a && now instanceof byte[] b ? Arrays.equals(a, b) : Objects.equals(was, now);
            if (!same) {
                old.put(column, was);
            }
        });
        return old;
    }

    /**
     * A value as text: date-times as {@code 2026-11-21 10:15:30.123456} (timestamptz in UTC), bytes as ISO-8859-1
     * characters (one per byte, as Canal writes them) or Base64, everything else as {@link JsonValues#text}.
     */
    static String text(Object v, boolean base64Bytes) {
        if (v instanceof LocalDateTime t) {
            return IsoText.of(t).replace('T', ' ');
        }
        if (v instanceof Instant t) {
            String iso = IsoText.of(t);
            return iso.substring(0, iso.length() - 1).replace('T', ' ');
        }
        if (v instanceof byte[] bytes && !base64Bytes) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
        return JsonValues.text(v);
    }

    /** A row as an object of text values (null stays null). */
    static void writeTextRow(JsonGenerator g, Map<String, Object> row, boolean base64Bytes) throws IOException {
        if (row == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        writeTextColumns(g, row, base64Bytes);
        g.writeEndObject();
    }

    /** A row's columns as text fields of the object being written (null stays null). */
    static void writeTextColumns(JsonGenerator g, Map<String, Object> row, boolean base64Bytes) throws IOException {
        for (Map.Entry<String, Object> c : row.entrySet()) {
            g.writeFieldName(JsonValues.name(c.getKey()));
            String text = text(c.getValue(), base64Bytes);
            if (text == null) {
                g.writeNull();
            } else {
                g.writeString(text);
            }
        }
    }

    /** The options every format writes the same way (top level): the transaction sequence and the business system id. */
    void writeOptions(JsonGenerator g, ChangeEvent e) throws IOException {
        if (spec.transactionSequence() && e.op() != Op.DDL) {
            g.writeNumberField("transactionSequence", e.position().seqInTx());
        }
        if (spec.businessSystemId() != null) {
            g.writeStringField("businessSystemId", spec.businessSystemId());
        }
    }
}
