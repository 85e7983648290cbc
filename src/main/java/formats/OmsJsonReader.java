package formats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import model.ChangeEvent;
import model.Op;
import model.SourcePosition;
import model.TableId;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * OMS's Default JSON back into changes; {@code oms-extend}'s {@code __light_type} types the values (and its binary
 * values are Base64), without it values stay text. {@code HEARTBEAT} records hold no change.
 */
final class OmsJsonReader extends MessageReader {

    /** A source type for each OMS light type: one that the formats map back to that light type. */
    private static final Map<String, String> LIGHT_TYPES = Map.ofEntries(Map.entry("BOOL", "BOOLEAN"), Map.entry("BIT", "BIT(8)"),
            Map.entry("INT8", "TINYINT"), Map.entry("INT16", "SMALLINT"), Map.entry("INT32", "INT"), Map.entry("INT64", "BIGINT"),
            Map.entry("DECIMAL", "DECIMAL"), Map.entry("FLOAT", "REAL"), Map.entry("DOUBLE", "DOUBLE"), Map.entry("DATE", "DATE"),
            Map.entry("TIME", "TIME"), Map.entry("TIMESTAMP", "TIMESTAMP"), Map.entry("TIMESTAMP_WITH_TIME_ZONE", "TIMESTAMPTZ"),
            Map.entry("BINARY", "VARBINARY"), Map.entry("JSON", "JSON"), Map.entry("STRING", "VARCHAR"));

    private final boolean extended;

    OmsJsonReader(String pipeline, boolean extended) {
        super(pipeline);
        this.extended = extended;
    }

    @Override
    List<ChangeEvent> read(List<String> keyColumns, JsonNode m) {
        String type = required(m, "recordType").asText();
        JsonNode meta = required(m, "allMetaData");
        TableId table = new TableId(text(meta, "db"), null, meta.path("table_name").asText(""));
        String tx = text(meta, "transId");
        boolean snapshot = type.equals("ROW");
        SourcePosition at = new SourcePosition(meta.path("dbType").asText("oms").toLowerCase(Locale.ROOT), text(meta, "uniqueId"),
                tx == null || tx.isEmpty() ? null : tx, meta.path("transactionSequence").asLong(0), instant(required(meta, "timestamp"), true), snapshot);
        String name = meta.hasNonNull("source_identity") ? text(meta, "source_identity") : pipeline;
        Op op = switch (type) {
            case "INSERT" -> Op.CREATE;
            case "ROW" -> Op.READ;
            case "UPDATE" -> Op.UPDATE;
            case "DELETE" -> Op.DELETE;
            case "DDL" -> Op.DDL;
            case "HEARTBEAT" -> null;
            default -> throw new IllegalArgumentException("recordType '" + type + "' is not known (INSERT, UPDATE, DELETE, ROW, DDL, HEARTBEAT)");
        };
        if (op == null) {
            return List.of();
        }
        if (op == Op.DDL) {
            return List.of(ChangeEvent.ddl(name, table, required(meta, "ddl").asText(), at));
        }
        JsonNode prev = m.get("prevStruct");
        JsonNode post = m.get("postStruct");
        Map<String, String> columns = columns(op == Op.DELETE ? prev : post);
        Map<String, Object> before = row(prev, columns);
        Map<String, Object> after = row(post, columns);
        String keyNames = meta.path("record_primary_key").asText("");
        List<String> primaryKey = keyNames.isEmpty() ? List.of() : Arrays.asList(keyNames.split(OmsJsonFormat.SEPARATOR, -1));
        return List.of(ChangeEvent.row(name, op, table, before, after, primaryKey, columns, at));
    }

    /** Column → source type: from {@code __light_type} (oms-extend), else the columns untyped. */
    private Map<String, String> columns(JsonNode row) {
        Map<String, String> columns = new LinkedHashMap<>();
        if (row == null || row.isNull()) {
            return columns;
        }
        JsonNode light = row.get("__light_type");
        row.fieldNames().forEachRemaining(c -> {
            if (!c.equals("__light_type")) {
                String lightType = light == null ? null : light.path(c).path("schemaType").asText(null);
                columns.put(c, lightType == null ? "" : LIGHT_TYPES.getOrDefault(lightType, "VARCHAR"));
            }
        });
        return columns;
    }

    private Map<String, Object> row(JsonNode struct, Map<String, String> columns) {
        if (struct == null || struct.isNull()) {
            return null;
        }
        ObjectNode values = ((ObjectNode) struct).deepCopy();
        values.remove("__light_type");
        return typedRow(values, columns, extended);
    }
}
