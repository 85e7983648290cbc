package processors;

import config.PipelineSpec.ObjectSpec;
import config.PipelineSpec.Rename;
import model.ChangeEvent;
import model.Op;
import model.TableId;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The "columns" box of docs/design.md, "The route": {@code objects[].columns} keeps only those columns (and always the primary key,
 * without which a consumer could not tell rows apart), and {@code objects[].rename} renames the database/schema, the
 * table and columns in what the sink writes. The destination itself (topic, JDBC target, HDFS folder) is still chosen
 * by the object's own keys. A listed column the table does not have stops the pipeline at its first change, naming it.
 */
public class ColumnProjection implements Processor {

    private final ObjectSelector selector;
    /** Per table: the projection of its current version (rebuilt when its columns change). */
    private final Map<TableId, Shape> shapes = new ConcurrentHashMap<>();
    private final Map<TableId, TableId> renamedTables = new ConcurrentHashMap<>();

    public ColumnProjection(ObjectSelector selector) {
        this.selector = selector;
    }

    /** Whether any object keeps or renames columns or tables (the route leaves this box out otherwise). */
    public static boolean needed(List<ObjectSpec> objects) {
        return objects.stream().anyMatch(o -> !o.columns().isEmpty() || o.rename() != null);
    }

    /** Source column → output column, for one table version. */
    private record Shape(Map<String, String> source, Map<String, String> names, Map<String, String> columns, List<String> primaryKey) {
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        @SuppressWarnings("unchecked")
        List<ChangeEvent> events = exchange.getIn().getMandatoryBody(List.class);
        List<ChangeEvent> out = new ArrayList<>(events.size());
        for (ChangeEvent e : events) {
            out.add(project(e));
        }
        exchange.getIn().setBody(out);
    }

    public ChangeEvent project(ChangeEvent e) {
        ObjectSpec object = selector.objectOf(e.table());
        if (object.columns().isEmpty() && object.rename() == null) {
            return e;
        }
        TableId table = renamedTables.computeIfAbsent(e.table(), t -> {
            TableId renamed = rename(t, object.rename());
            if (!renamed.equals(t)) {
                selector.aliases().add(renamed, t); // the sink looks the renamed table up: it goes where the source table goes
            }
            return renamed;
        });
        if (e.op() == Op.DDL) {
            return table.equals(e.table()) ? e : ChangeEvent.ddl(e.pipeline(), table, e.ddl(), e.position());
        }
        Shape shape = shapes.get(e.table());
        if (shape == null || shape.source() != e.columns() && !shape.source().equals(e.columns())) {
            shape = shape(e, object);
            shapes.put(e.table(), shape);
        }
        return new ChangeEvent(e.pipeline(), e.op(), table, row(e.before(), shape), row(e.after(), shape), shape.primaryKey(),
                shape.columns(), e.position(), null);
    }

    private static TableId rename(TableId t, Rename rename) {
        if (rename == null) {
            return t;
        }
        String namespace = rename.database();
        String table = rename.table() != null ? rename.table() : t.table();
        if (namespace == null) {
            return new TableId(t.database(), t.schema(), table);
        }
        return t.schema() != null ? new TableId(t.database(), namespace, table) : new TableId(namespace, null, table);
    }

    private static Shape shape(ChangeEvent e, ObjectSpec object) {
        for (String c : object.columns()) {
            if (!e.columns().containsKey(c)) {
                throw new IllegalArgumentException("objects[].columns of " + e.table().qualifiedName() + " names column '" + c
                        + "', which the table does not have (its columns: " + String.join(", ", e.columns().keySet()) + ")");
            }
        }
        Map<String, String> renames = object.rename() == null ? Map.of() : object.rename().columns();
        Map<String, String> names = new LinkedHashMap<>();
        Map<String, String> columns = new LinkedHashMap<>();
        e.columns().forEach((column, type) -> {
            if (object.columns().isEmpty() || object.columns().contains(column) || e.primaryKey().contains(column)) {
                String name = renames.getOrDefault(column, column);
                names.put(column, name);
                columns.put(name, type);
            }
        });
        return new Shape(e.columns(), names, columns, e.primaryKey().stream().map(c -> renames.getOrDefault(c, c)).toList());
    }

    private static Map<String, Object> row(Map<String, Object> row, Shape shape) {
        if (row == null) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>(shape.names().size() * 2);
        shape.names().forEach((from, to) -> {
            if (row.containsKey(from)) { // a key-only delete image keeps just the key
                out.put(to, row.get(from));
            }
        });
        return out;
    }
}
