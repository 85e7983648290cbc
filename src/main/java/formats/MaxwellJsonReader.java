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
 * Maxwell's JSON back into changes: values as JSON has them (date-times stay MySQL text), an update's old row as
 * {@code data} with {@code old} over it, {@code bootstrap-insert} a snapshot row; the bootstrap markers hold no change.
 */
final class MaxwellJsonReader extends MessageReader {

    MaxwellJsonReader(String pipeline) {
        super(pipeline);
    }

    @Override
    List<ChangeEvent> read(List<String> keyColumns, JsonNode m) {
        String type = required(m, "type").asText();
        if (type.equals("bootstrap-start") || type.equals("bootstrap-complete")) {
            return List.of(); // markers around a table's snapshot rows: no change
        }
        TableId table = new TableId(text(m, "database"), null, m.path("table").asText(""));
        boolean snapshot = type.equals("bootstrap-insert");
        SourcePosition at = new SourcePosition("maxwell", text(m, "position"), text(m, "xid"),
                m.has("xoffset") ? m.get("xoffset").asLong() + 1 : m.path("transactionSequence").asLong(0), instant(required(m, "ts"), true),
                snapshot, m.path("commit").asBoolean(false));
        Op op = switch (type) {
            case "insert", "bootstrap-insert" -> snapshot ? Op.READ : Op.CREATE;
            case "update" -> Op.UPDATE;
            case "delete" -> Op.DELETE;
            case "bootstrap-start", "bootstrap-complete" -> null;
            default -> Op.DDL; // table-create, table-alter, table-drop, database-create, database-drop, ddl
        };
        if (op == null) {
            return List.of();
        }
        if (op == Op.DDL) {
            return List.of(ChangeEvent.ddl(pipeline, table, required(m, "sql").asText(), at));
        }
        Map<String, Object> row = naturalRow(required(m, "data"));
        Map<String, Object> old = naturalRow(m.get("old"));
        Map<String, Object> before = null;
        Map<String, Object> after = row;
        if (op == Op.UPDATE && old != null) {
            before = new LinkedHashMap<>(row);
            before.putAll(old);
        } else if (op == Op.DELETE) {
            before = row;
            after = null;
        }
        List<String> primaryKey = new ArrayList<>();
        m.path("primary_key_columns").forEach(k -> primaryKey.add(k.asText()));
        return List.of(ChangeEvent.row(pipeline, op, table, before, after, primaryKey, untyped(row), at));
    }
}
