package processors;

import config.PipelineSpec.ObjectSpec;
import model.TableId;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where each table's changes go, from a pipeline's {@code objects:} list and nothing else: the first object that
 * matches a table wins, and gives its topic, sharding columns, JDBC target table and HDFS folder. Immutable (each
 * table's answer is worked out once and kept); renames are {@link TableAliases}' business.
 */
public final class ObjectRouting {

    /** Where one table's changes go. */
    record Target(String topic, List<String> shardingColumns, String table, String folder, ObjectSpec object) {
    }

    private final List<ObjectSpec> objects;
    private final Map<TableId, Optional<Target>> targetByTable = new ConcurrentHashMap<>();

    public ObjectRouting(List<ObjectSpec> objects) {
        this.objects = List.copyOf(objects);
    }

    /** Whether an object selects this table by its own name. */
    public boolean selects(TableId table) {
        return objects.stream().anyMatch(o -> o.matches(table.namespace(), table.table()));
    }

    /** The table's target, or empty when no object selects it. */
    Optional<Target> target(TableId table) {
        return targetByTable.computeIfAbsent(table, t -> objects.stream().filter(o -> o.matches(t.namespace(), t.table())).findFirst()
                .map(o -> new Target(o.topicFor(t.namespace(), t.table()), o.shardingColumns(), o.targetFor(t.table()),
                        o.pathFor(t.database(), t.namespace(), t.table()), o)));
    }
}
