package formats;

import com.fasterxml.jackson.databind.JsonNode;
import model.ChangeEvent;
import model.Op;
import model.SourcePosition;
import model.TableId;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Debezium's envelope back into changes: Tributary's {@code debezium} format and Debezium's own JSON converter output,
 * without schemas or with them. With schemas ({@code {"schema", "payload"}}) the rows are read by Kafka Connect's own
 * {@link JsonConverter} and typed by their field schemas as the CDC source types Debezium's records
 * ({@link ConnectValues}: days since 1970 a date, micros a timestamp, Base64 a precise decimal); without schemas,
 * values are as JSON has them (a sink fits them to its columns). A tombstone holds no change; a truncate
 * ({@code op: t}) is not a row change and is refused.
 */
final class DebeziumJsonReader extends MessageReader {

    /** Kafka Connect's JSON converter for messages with schemas; made on the first one. */
    private JsonConverter connect;

    DebeziumJsonReader(String pipeline) {
        super(pipeline);
    }

    @Override
    List<ChangeEvent> read(List<String> keyColumns, JsonNode m) {
        boolean schemas = m.size() == 2 && m.path("schema").isObject() && m.has("payload");
        JsonNode p = schemas ? m.get("payload") : m;
        if (p == null || p.isNull()) {
            return List.of();
        }
        String code = required(p, "op").asText();
        Op op = switch (code) {
            case "c" -> Op.CREATE;
            case "u" -> Op.UPDATE;
            case "d" -> Op.DELETE;
            case "r" -> Op.READ;
            default -> throw new IllegalArgumentException("op '" + code + "' is not a row change (c, u, d, r)");
        };
        JsonNode source = required(p, "source");
        Map<String, Object> before;
        Map<String, Object> after;
        Map<String, String> columns = null;
        if (schemas) {
            Struct envelope = envelope(m);
            columns = new LinkedHashMap<>();
            before = typedRow(envelope.getStruct("before"), columns);
            after = typedRow(envelope.getStruct("after"), columns);
        } else {
            before = naturalRow(p.get("before"));
            after = naturalRow(p.get("after"));
        }
        TableId table = new TableId(text(source, "db"), text(source, "schema"), required(source, "table").asText());
        Instant commit;
        if (source.hasNonNull("ts_us")) {
            long us = source.get("ts_us").asLong();
            commit = Instant.ofEpochSecond(Math.floorDiv(us, 1_000_000L), Math.floorMod(us, 1_000_000L) * 1_000L);
        } else {
            commit = instant(required(source, "ts_ms"), false);
        }
        String position = source.hasNonNull("lsn") ? text(source, "lsn")
                : source.hasNonNull("file") ? text(source, "file") + ":" + text(source, "pos") + ":" + source.path("row").asInt() : null;
        String tx = source.hasNonNull("txId") ? text(source, "txId") : text(source, "gtid");
        String snapshot = text(source, "snapshot");
        SourcePosition at = new SourcePosition(text(source, "connector"), position, tx, p.path("transaction").path("total_order").asLong(0),
                commit, snapshot != null && !snapshot.equals("false"));
        Map<String, Object> row = after != null ? after : before;
        String name = source.hasNonNull("name") ? text(source, "name") : pipeline;
        return List.of(ChangeEvent.row(name, op, table, before, after, present(keyColumns, row), columns != null ? columns : untyped(row), at));
    }

    /** The message as Kafka Connect reads it: the envelope Struct, each field with its schema. */
    private Struct envelope(JsonNode message) {
        if (connect == null) {
            connect = new JsonConverter();
            connect.configure(Map.of("schemas.enable", "true", "schemas.cache.size", "100"), false);
        }
        Object value;
        try {
            value = connect.toConnectData("", JSON.writeValueAsBytes(message)).value();
        } catch (com.fasterxml.jackson.core.JsonProcessingException | org.apache.kafka.connect.errors.DataException e) {
            throw new IllegalArgumentException("its schema does not fit its payload: " + e.getMessage());
        }
        if (!(value instanceof Struct envelope)) {
            throw new IllegalArgumentException("its schema is not a Debezium envelope (a struct with before, after, source, op)");
        }
        return envelope;
    }

    /** A row Struct's columns as Java values with their SQL meaning; each column's source type into {@code columns}. */
    private static Map<String, Object> typedRow(Struct row, Map<String, String> columns) {
        if (row == null) {
            return null;
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (Field f : row.schema().fields()) {
            Object v = row.get(f);
            values.put(f.name(), v == null ? null : ConnectValues.converter(f.schema()).apply(v));
            columns.putIfAbsent(f.name(), ConnectValues.sourceType(f.schema()));
        }
        return values;
    }
}
