package formats;

import com.fasterxml.jackson.databind.JsonNode;
import model.ChangeEvent;
import model.Op;
import model.SourcePosition;
import model.TableId;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Canal's FlatMessage back into changes: one per row of {@code data} (Canal itself puts a statement's rows in one
 * message), values typed by {@code mysqlType}, an update's old row as {@code data} with {@code old} over it, bytes as
 * one ISO-8859-1 character each. A snapshot row cannot be told from an insert: both are {@code INSERT}.
 */
final class CanalJsonReader extends MessageReader {

    CanalJsonReader(String pipeline) {
        super(pipeline);
    }

    @Override
    List<ChangeEvent> read(List<String> keyColumns, JsonNode m) {
        String type = required(m, "type").asText();
        TableId table = new TableId(text(m, "database"), null, required(m, "table").asText());
        SourcePosition at = new SourcePosition("canal", text(m, "es") + ":" + text(m, "id"), null,
                m.path("transactionSequence").asLong(0), instant(required(m, "es"), false), false);
        if (m.path("isDdl").asBoolean(false)) {
            return List.of(ChangeEvent.ddl(pipeline, table, required(m, "sql").asText(), at));
        }
        Op op = switch (type) {
            case "INSERT" -> Op.CREATE;
            case "UPDATE" -> Op.UPDATE;
            case "DELETE" -> Op.DELETE;
            default -> throw new IllegalArgumentException("type '" + type + "' is not a row change (INSERT, UPDATE, DELETE)");
        };
        Map<String, String> columns = new LinkedHashMap<>();
        m.path("mysqlType").fields().forEachRemaining(f -> columns.put(f.getKey(), f.getValue().asText()));
        List<String> primaryKey = new ArrayList<>();
        m.path("pkNames").forEach(k -> primaryKey.add(k.asText()));
        JsonNode data = required(m, "data");
        JsonNode old = m.get("old");
        List<ChangeEvent> events = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            Map<String, Object> row = typedRow(data.get(i), columns, false);
            Map<String, Object> changed = old == null || old.isNull() ? null : typedRow(old.get(i), columns, false);
            Map<String, Object> before = null;
            Map<String, Object> after = row;
            if (op == Op.UPDATE && changed != null) {
                before = new LinkedHashMap<>(row);
                before.putAll(changed);
            } else if (op == Op.DELETE) {
                before = row;
                after = null;
            }
            events.add(ChangeEvent.row(pipeline, op, table, before, after, primaryKey, columns, at));
        }
        return events;
    }
}
