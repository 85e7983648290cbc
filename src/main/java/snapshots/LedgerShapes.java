package snapshots;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import model.ChangeEvent;
import model.TableId;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The table shapes of a {@link SnapshotLedger}: per table, its key columns, the extra columns a delete needs (sharding
 * columns) and their types, one JSON line each in the ledger's {@code tables} file; a recorded key line starts with its
 * shape's index. Written before the first key that uses a shape, so a key never refers to a shape lost in a crash.
 */
final class LedgerShapes {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final Function<TableId, List<String>> shardingColumns;
    private final Map<String, Integer> shapeIndex = new HashMap<>();
    private final List<Shape> shapes = new ArrayList<>();
    // the last event's table, key and column types (instances) and its shape's index
    private int lastIndex = -1;
    private TableId lastTable;
    private List<String> lastKey;
    private Map<String, String> lastTypes;
    /** The last shape index per table: checked by a few look-ups per event instead of building a shape. */
    private final Map<TableId, Integer> lastShape = new HashMap<>();

    LedgerShapes(Path file, Function<TableId, List<String>> shardingColumns) {
        this.file = file;
        this.shardingColumns = shardingColumns;
    }

    /** A table as recorded: its name, key columns, extra columns and their types. */
    record Shape(String connector, TableId table, List<String> key, List<String> extra, Map<String, String> types) {
        List<String> columns() {
            List<String> all = new ArrayList<>(key);
            all.addAll(extra);
            return all;
        }
    }

    Shape get(int index) {
        return shapes.get(index);
    }

    void clear() {
        shapes.clear();
        shapeIndex.clear();
        lastShape.clear();
        lastIndex = -1;
    }

    /** The index of the event's shape, written to the file first when it is new. */
    int indexOf(ChangeEvent e) throws IOException {
        // the events of a table version share their table, key and column-type instances: the shape of the event before
        if (lastIndex >= 0 && e.table() == lastTable && e.primaryKey() == lastKey && e.columns() == lastTypes) {
            return lastIndex;
        }
        Integer last = lastShape.get(e.table());
        int idx = last != null && fits(shapes.get(last), e) ? last : newShapeOf(e);
        lastShape.put(e.table(), idx);
        lastIndex = idx;
        lastTable = e.table();
        lastKey = e.primaryKey();
        lastTypes = e.columns();
        return idx;
    }

    /** Same key, and the recorded columns have the same types (the sharding columns of a table do not change). */
    private static boolean fits(Shape shape, ChangeEvent e) {
        if (!shape.key().equals(e.primaryKey())) {
            return false;
        }
        for (Map.Entry<String, String> c : shape.types().entrySet()) {
            if (!java.util.Objects.equals(c.getValue(), e.columns().get(c.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private int newShapeOf(ChangeEvent e) throws IOException {
        List<String> extra = new ArrayList<>();
        for (String c : shardingColumns.apply(e.table())) {
            if (!e.primaryKey().contains(c) && e.row().containsKey(c)) {
                extra.add(c);
            }
        }
        Map<String, String> types = new LinkedHashMap<>();
        for (String c : e.primaryKey()) {
            types.put(c, e.columns().get(c));
        }
        for (String c : extra) {
            types.put(c, e.columns().get(c));
        }
        Shape shape = new Shape(e.position().connector(), e.table(), e.primaryKey(), extra, types);
        String signature = shapeJson(shape).toString();
        Integer idx = shapeIndex.get(signature);
        if (idx == null) {
            idx = shapes.size();
            shapes.add(shape);
            shapeIndex.put(signature, idx);
            byte[] line = (signature + "\n").getBytes(StandardCharsets.UTF_8);
            state.SharedState.mirrorAppend(Map.of(file, line)); // cluster mode: the state database first
            Files.write(file, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        return idx;
    }

    private static ObjectNode shapeJson(Shape s) {
        ObjectNode n = JSON.createObjectNode();
        n.put("connector", s.connector());
        n.put("database", s.table().database());
        n.put("schema", s.table().schema());
        n.put("table", s.table().table());
        s.key().forEach(n.putArray("key")::add);
        n.putArray("extra");
        s.extra().forEach(((com.fasterxml.jackson.databind.node.ArrayNode) n.get("extra"))::add);
        ObjectNode types = n.putObject("types");
        s.types().forEach(types::put);
        return n;
    }

    /** Reads the shapes recorded so far. */
    void load() throws IOException {
        clear();
        if (!Files.exists(file)) {
            return;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue; // a line cut by a crash is the last one and was never referenced
            }
            JsonNode n;
            try {
                n = JSON.readTree(line);
            } catch (IOException cut) {
                continue;
            }
            List<String> key = new ArrayList<>();
            n.get("key").forEach(k -> key.add(k.asText()));
            List<String> extra = new ArrayList<>();
            n.get("extra").forEach(k -> extra.add(k.asText()));
            Map<String, String> types = new LinkedHashMap<>();
            n.get("types").fields().forEachRemaining(f -> types.put(f.getKey(), f.getValue().isNull() ? null : f.getValue().asText()));
            shapes.add(new Shape(n.get("connector").asText(), new TableId(text(n, "database"), text(n, "schema"), n.get("table").asText()),
                    key, extra, types));
            shapeIndex.put(line, shapes.size() - 1);
        }
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }
}
