package processors;

import formats.JsonValues;
import model.ChangeEvent;
import model.Op;
import model.TableId;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;

/**
 * The "shard key" box of docs/design.md, "The route", the one place that says which changes must stay in order together: the Kafka
 * record key, and the text whose hash picks the RocketMQ queue (docs/formats.md, "Message key").
 * <ul>
 *   <li>a row change: its sharding columns ({@code objects[].shardingColumns}, default the primary key) as a JSON object
 *       in column order, e.g. {@code {"customer_id":7}};</li>
 *   <li>a table without key or sharding columns, and a DDL message: the table's qualified name — all its changes keep
 *       their order on one partition / queue.</li>
 * </ul>
 */
public final class ShardKeys {

    private final Function<TableId, List<String>> shardingColumns;

    /** @param shardingColumns per table: the chosen sharding columns, empty = the primary key */
    public ShardKeys(Function<TableId, List<String>> shardingColumns) {
        this.shardingColumns = shardingColumns;
    }

    /** Every table sharded by its primary key (hand-written routes). */
    public static ShardKeys byPrimaryKey() {
        return new ShardKeys(t -> List.of());
    }

    public String of(ChangeEvent event) {
        return new String(bytes(event), StandardCharsets.UTF_8);
    }

    /** {@link #of} as UTF-8, written straight from the row (the Kafka record key: this runs for every record sent). */
    public byte[] bytes(ChangeEvent event) {
        List<String> columns = List.of(); // a schema change has no row: keyed by its table
        if (event.op() != Op.DDL) {
            columns = shardingColumns.apply(event.table());
            if (columns.isEmpty()) {
                columns = event.primaryKey();
            }
        }
        if (columns.isEmpty()) {
            return event.table().qualifiedName().getBytes(StandardCharsets.UTF_8);
        }
        return JsonValues.encodeColumns(columns, event.row());
    }
}
