package formats;

import com.fasterxml.jackson.databind.JsonNode;
import model.ChangeEvent;
import model.Op;
import model.SourcePosition;
import model.TableId;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * DataWorks' JSON back into changes. Values by their DataWorks type: {@code LONG} whole numbers, {@code DOUBLE} exact
 * decimals (a number with an exponent as a double), {@code DATE} instants (epoch milliseconds: whether the source
 * column was a date, a time or a timestamp is not in the message), {@code BYTES} from Base64, the rest text. A split
 * update's {@code UPDATE_BEFOR} is kept until the {@code UPDATE_AFTER} of the same table and key completes it;
 * heartbeats and transaction markers hold no change.
 */
final class DataWorksReader extends MessageReader {

    /** A source type for each DataWorks type: one the format writes back as that type. */
    private static final Map<String, String> TYPES = Map.of("BOOLEAN", "BOOLEAN", "LONG", "BIGINT", "DOUBLE", "DOUBLE",
            "DATE", "TIMESTAMPTZ", "BYTES", "BLOB", "STRING", "VARCHAR");
    private static final Set<String> NO_CHANGE = Set.of("MHEARTBEAT", "TRANSACTION_BEGIN", "TRANSACTION_END", "GTID", "XACOMMIT", "XAROLLBACK");
    private static final Set<String> DDL = Set.of("CREATE", "ALTER", "ERASE", "QUERY", "TRUNCATE", "RENAME", "CINDEX", "DINDEX");

    /** UPDATE_BEFOR images waiting for their UPDATE_AFTER, by table and key. */
    private final Map<String, Map<String, Object>> waiting = new LinkedHashMap<>();

    DataWorksReader(String pipeline) {
        super(pipeline);
    }

    @Override
    List<ChangeEvent> read(List<String> keyColumns, JsonNode m) {
        JsonNode payload = required(m, "payload");
        String op = required(payload, "op").asText();
        if (NO_CHANGE.contains(op)) {
            return List.of();
        }
        JsonNode schema = m.path("schema");
        JsonNode source = schema.path("source");
        String database = text(source, "dbName");
        String schemaName = text(source, "schemaName");
        TableId table = new TableId(database, schemaName == null || schemaName.equals(database) ? null : schemaName,
                required(source, "tableName").asText());
        Instant commit = instant(required(payload.path("timestamp"), "eventTime"), false);
        SourcePosition at = new SourcePosition(source.path("dbType").asText("dataworks"), text(payload, "sequenceId"), null,
                payload.path("transactionSequence").asLong(0), commit, false);
        if (DDL.contains(op)) {
            return List.of(ChangeEvent.ddl(pipeline, table, required(payload.path("ddl"), "text").asText(), at));
        }
        Map<String, String> columns = new LinkedHashMap<>();
        schema.path("dataColumn").forEach(c -> columns.put(c.path("name").asText(), TYPES.getOrDefault(c.path("type").asText(), "VARCHAR")));
        List<String> primaryKey = new ArrayList<>();
        schema.path("primaryKey").forEach(k -> primaryKey.add(k.asText()));
        Map<String, Object> before = row(payload.get("before"), columns);
        Map<String, Object> after = row(payload.get("after"), columns);
        Op change = switch (op) {
            case "INSERT" -> Op.CREATE;
            case "UPDATE_BEFOR", "UPDATE_AFTER" -> Op.UPDATE;
            case "DELETE" -> Op.DELETE;
            default -> throw new IllegalArgumentException("op '" + op + "' is not known");
        };
        if (op.equals("UPDATE_BEFOR")) {
            if (before != null) { // none when the source logged no old row
                waiting.put(waitingKey(table, primaryKey, before), before);
            }
            return List.of();
        }
        if (op.equals("UPDATE_AFTER") && before == null) {
            before = waiting.remove(waitingKey(table, primaryKey, after));
        }
        return List.of(ChangeEvent.row(pipeline, change, table, before, after, primaryKey, columns, at));
    }

    private static String waitingKey(TableId table, List<String> primaryKey, Map<String, Object> row) {
        StringBuilder k = new StringBuilder(table.toString());
        for (String c : primaryKey) {
            k.append('\u0001').append(row == null ? null : JsonValues.text(row.get(c)));
        }
        return k.toString();
    }

    private static Map<String, Object> row(JsonNode image, Map<String, String> columns) {
        if (image == null || image.isNull()) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        image.path("dataColumn").fields().forEachRemaining(f -> out.put(f.getKey(), value(f.getValue(), columns.get(f.getKey()))));
        return out;
    }

    private static Object value(JsonNode v, String sourceType) {
        if (v == null || v.isNull()) {
            return null;
        }
        if ("TIMESTAMPTZ".equals(sourceType) && v.isNumber()) {
            return Instant.ofEpochMilli(v.longValue());
        }
        if ("BLOB".equals(sourceType) && v.isTextual()) {
            try {
                return Base64.getDecoder().decode(v.asText());
            } catch (IllegalArgumentException notBase64) {
                return v.asText();
            }
        }
        return natural(v);
    }
}
