package formats;

import com.fasterxml.jackson.databind.JsonNode;
import model.ChangeEvent;
import model.Op;
import model.SourcePosition;
import model.TableId;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SharePlex JSON back into changes. An update's new row is {@code key} with {@code data} over it; its old row is
 * {@code key} when that holds more than the changed columns' names (the whole old row), else unknown — {@code data}
 * then held every new value and {@code key} the key columns. Values stay text (JSON numbers and booleans with
 * {@code typedValues}). Tributary's DDL extension ({@code ddl}, {@code truncate}) becomes DDL.
 */
final class SharePlexReader extends MessageReader {

    SharePlexReader(String pipeline) {
        super(pipeline);
    }

    @Override
    List<ChangeEvent> read(List<String> keyColumns, JsonNode m) {
        JsonNode meta = required(m, "meta");
        String op = required(meta, "op").asText();
        String qualified = required(meta, "table").asText();
        TableId table = table(qualified);
        SourcePosition at = new SourcePosition("shareplex", text(meta, "time") + ":" + text(meta, "trans"), text(meta, "trans"),
                meta.path("seq").asLong(0), LocalDateTime.parse(required(meta, "time").asText()).toInstant(ZoneOffset.UTC), false);
        if (meta.has("size")) {
            at = at.numbered(at.seqInTx(), meta.get("size").asLong());
        }
        JsonNode data = m.get("data");
        switch (op) {
            case "ddl":
                return List.of(ChangeEvent.ddl(pipeline, table, required(data, "ddl").asText(), at));
            case "truncate":
                return List.of(ChangeEvent.ddl(pipeline, table, "TRUNCATE TABLE " + qualified, at));
            case "ins":
                Map<String, Object> row = naturalRow(required(m, "data"));
                return List.of(ChangeEvent.row(pipeline, Op.CREATE, table, null, row, present(keyColumns, row), untyped(row), at));
            case "del":
                Map<String, Object> old = naturalRow(required(m, "data"));
                return List.of(ChangeEvent.row(pipeline, Op.DELETE, table, old, null, present(keyColumns, old), untyped(old), at));
            case "upd":
                Map<String, Object> changed = naturalRow(required(m, "data"));
                Map<String, Object> key = naturalRow(required(m, "key"));
                Map<String, Object> after = new LinkedHashMap<>(key);
                after.putAll(changed);
                // key = the key columns only (no old row logged): then data held every column, more than key
                boolean keyOnly = key.size() < changed.size() && changed.keySet().containsAll(key.keySet());
                List<String> primaryKey = keyOnly ? List.copyOf(key.keySet()) : present(keyColumns, after);
                return List.of(ChangeEvent.row(pipeline, Op.UPDATE, table, keyOnly ? null : key, after, primaryKey, untyped(after), at));
            default:
                throw new IllegalArgumentException("meta.op '" + op + "' is not known (ins, upd, del)");
        }
    }
}
