package formats;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import model.ChangeEvent;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the readers share: the message parsed with exact decimals, the key's column names, and values back from their
 * JSON form — typed by the column's source type where the format carries one ({@link TextValues}), else as JSON has
 * them (whole numbers as Long, others as exact BigDecimal, text as String).
 */
abstract class MessageReader implements ChangeEventReader {

    static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

    protected final String pipeline;

    MessageReader(String pipeline) {
        this.pipeline = pipeline;
    }

    @Override
    public final List<ChangeEvent> read(byte[] key, byte[] value) {
        if (value == null || value.length == 0) {
            return List.of(); // a tombstone: the delete before it carried the change
        }
        JsonNode message;
        try (com.fasterxml.jackson.core.JsonParser parser = JSON.getFactory().createParser(value)) {
            message = parser.nextToken() == null ? null : tree(parser);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
        if (message == null || !message.isObject()) {
            throw new IllegalArgumentException("expected a JSON object, got " + (message == null ? "nothing" : message.getNodeType()));
        }
        return read(keyColumns(key), message);
    }

    /**
     * The JSON value at the parser as a tree, numbers as written: whole numbers exact, a number with a fraction an exact
     * decimal, one with an exponent a double — the formats write doubles so ({@code 1.5E300}), decimals never.
     */
    static JsonNode tree(com.fasterxml.jackson.core.JsonParser p) throws IOException {
        JsonNodeFactory nodes = JSON.getNodeFactory();
        switch (p.currentToken()) {
            case START_OBJECT -> {
                com.fasterxml.jackson.databind.node.ObjectNode o = nodes.objectNode();
                while (p.nextToken() != com.fasterxml.jackson.core.JsonToken.END_OBJECT) {
                    String name = p.currentName();
                    p.nextToken();
                    o.set(name, tree(p));
                }
                return o;
            }
            case START_ARRAY -> {
                com.fasterxml.jackson.databind.node.ArrayNode a = nodes.arrayNode();
                while (p.nextToken() != com.fasterxml.jackson.core.JsonToken.END_ARRAY) {
                    a.add(tree(p));
                }
                return a;
            }
            case VALUE_STRING -> {
                return nodes.textNode(p.getText());
            }
            case VALUE_NUMBER_INT -> {
                return nodes.numberNode(p.getBigIntegerValue());
            }
            case VALUE_NUMBER_FLOAT -> {
                String text = p.getText();
                return text.indexOf('e') >= 0 || text.indexOf('E') >= 0 ? nodes.numberNode(Double.parseDouble(text))
                        : nodes.numberNode(new BigDecimal(text));
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return nodes.booleanNode(p.getBooleanValue());
            }
            default -> {
                return nodes.nullNode();
            }
        }
    }

    /** The changes of one parsed message. */
    abstract List<ChangeEvent> read(List<String> keyColumns, JsonNode message);

    /**
     * The column names of a JSON-object key ({@code {"id":1}}, or Kafka Connect's JSON with schemas:
     * {@code {"schema":..., "payload":{"id":1}}}); none for another key.
     */
    static List<String> keyColumns(byte[] key) {
        if (key == null || key.length == 0 || key[0] != '{') {
            return List.of();
        }
        try {
            JsonNode k = JSON.readTree(key);
            if (k.size() == 2 && k.has("schema") && k.path("payload").isObject()) {
                k = k.get("payload");
            }
            List<String> columns = new ArrayList<>();
            k.fieldNames().forEachRemaining(columns::add);
            return columns;
        } catch (IOException e) {
            return List.of();
        }
    }

    /** A required member, or an error naming it. */
    static JsonNode required(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("'" + field + "' is missing");
        }
        return v;
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** A value as JSON has it: null, Boolean, Long (BigInteger beyond), exact BigDecimal, String, List, Map. */
    static Object natural(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isIntegralNumber()) {
            return v.canConvertToLong() ? (Object) v.longValue() : v.bigIntegerValue();
        }
        if (v.isDouble()) {
            return v.doubleValue();
        }
        if (v.isNumber()) {
            return v.decimalValue();
        }
        if (v.isArray()) {
            List<Object> list = new ArrayList<>();
            v.forEach(i -> list.add(natural(i)));
            return list;
        }
        if (v.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            v.fields().forEachRemaining(f -> map.put(f.getKey(), natural(f.getValue())));
            return map;
        }
        return v.asText();
    }

    /** A row object as natural values; null for JSON null. */
    static Map<String, Object> naturalRow(JsonNode row) {
        if (row == null || row.isNull()) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = row.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            out.put(f.getKey(), natural(f.getValue()));
        }
        return out;
    }

    /** A row of text values typed by the columns' source types ({@link TextValues}). */
    static Map<String, Object> typedRow(JsonNode row, Map<String, String> types, boolean base64Bytes) {
        if (row == null || row.isNull()) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = row.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNode v = f.getValue();
            out.put(f.getKey(), v.isNull() ? null : v.isTextual() ? TextValues.parse(v.asText(), types.get(f.getKey()), base64Bytes) : natural(v));
        }
        return out;
    }

    /** Epoch milliseconds (or seconds when {@code seconds}) as an instant; null when absent. */
    static Instant instant(JsonNode v, boolean seconds) {
        if (v == null || v.isNull()) {
            return null;
        }
        long n = v.isNumber() ? v.longValue() : new BigDecimal(v.asText()).longValue();
        return seconds ? Instant.ofEpochSecond(n) : Instant.ofEpochMilli(n);
    }

    /** The columns of a row with no source types known (empty type names). */
    static Map<String, String> untyped(Map<String, Object> row) {
        Map<String, String> columns = new LinkedHashMap<>();
        if (row != null) {
            row.keySet().forEach(c -> columns.put(c, ""));
        }
        return columns;
    }

    /** A table written as {@code namespace.table} (SharePlex, json-row): the namespace is whatever comes before the first dot. */
    static model.TableId table(String qualified) {
        int dot = qualified.indexOf('.');
        return dot < 0 ? new model.TableId(null, null, qualified) : new model.TableId(qualified.substring(0, dot), null, qualified.substring(dot + 1));
    }

    /** The key columns a row has of those named, in order. */
    static List<String> present(List<String> keyColumns, Map<String, Object> row) {
        return row == null ? List.of() : keyColumns.stream().filter(row::containsKey).toList();
    }
}
