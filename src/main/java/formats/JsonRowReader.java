package formats;

import com.fasterxml.jackson.databind.JsonNode;
import model.ChangeEvent;
import model.Op;
import model.SourcePosition;
import model.TableId;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A json-row line back into a change: the row's columns as JSON has them, {@code __op}, {@code __table}, {@code __ts}. */
final class JsonRowReader extends MessageReader {

    JsonRowReader(String pipeline) {
        super(pipeline);
    }

    @Override
    List<ChangeEvent> read(List<String> keyColumns, JsonNode m) {
        String code = required(m, "__op").asText();
        Op op = switch (code) {
            case "c" -> Op.CREATE;
            case "u" -> Op.UPDATE;
            case "d" -> Op.DELETE;
            case "r" -> Op.READ;
            default -> throw new IllegalArgumentException("__op '" + code + "' is not a row change (c, u, d, r)");
        };
        String qualified = required(m, "__table").asText();
        TableId table = table(qualified);
        Map<String, Object> row = new LinkedHashMap<>();
        m.fields().forEachRemaining(f -> {
            if (!f.getKey().startsWith("__")) {
                row.put(f.getKey(), natural(f.getValue()));
            }
        });
        SourcePosition at = new SourcePosition("json-row", text(m, "__ts"), null, m.path("__transactionSequence").asLong(0),
                instant(required(m, "__ts"), false), op == Op.READ);
        return List.of(ChangeEvent.row(pipeline, op, table, op == Op.DELETE ? row : null, op == Op.DELETE ? null : row,
                present(keyColumns, row), untyped(row), at));
    }
}
