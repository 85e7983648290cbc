package model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The one change-event model everything after the source normalizer speaks (docs/design.md, "The canonical change event").
 * Immutable; built only through the factories. Values keep their SQL meaning: decimals as BigDecimal,
 * date/time as java.time types (timestamp → LocalDateTime, timestamptz → Instant), bytes as byte[].
 *
 * @param before     row image before the change: null for CREATE/READ; for DELETE only the key columns when the source
 *                   does not log whole old rows (PostgreSQL REPLICA IDENTITY DEFAULT)
 * @param after      row image after the change: null for DELETE
 * @param primaryKey primary-key column names in key order (empty if the table has none)
 * @param columns    column name → source type (e.g. {@code NUMERIC(12,2)}), in table order
 */
public record ChangeEvent(String pipeline, Op op, TableId table, Map<String, Object> before, Map<String, Object> after,
                          List<String> primaryKey, Map<String, String> columns, SourcePosition position, String ddl) {

    public ChangeEvent {
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(position, "position");
        before = immutable(before);
        after = immutable(after);
        primaryKey = List.copyOf(primaryKey);
        columns = Collections.unmodifiableMap(columns);
    }

    /** A {@link Row} is immutable already; any other map is wrapped. */
    private static Map<String, Object> immutable(Map<String, Object> image) {
        return image == null || image instanceof Row ? image : Collections.unmodifiableMap(image);
    }

    public static ChangeEvent row(String pipeline, Op op, TableId table, Map<String, Object> before, Map<String, Object> after,
                                  List<String> primaryKey, Map<String, String> columns, SourcePosition position) {
        if (op == Op.DDL) {
            throw new IllegalArgumentException("a row event cannot be DDL");
        }
        if ((op == Op.DELETE) != (after == null)) {
            throw new IllegalArgumentException(op + " event " + (after == null ? "without" : "with") + " an after image");
        }
        if (op == Op.DELETE && before == null) {
            throw new IllegalArgumentException("DELETE event without a before image (at least the key)");
        }
        return new ChangeEvent(pipeline, op, table, before, after, primaryKey, columns, position, null);
    }

    public static ChangeEvent ddl(String pipeline, TableId table, String statement, SourcePosition position) {
        return new ChangeEvent(pipeline, Op.DDL, table, null, null, List.of(), Map.of(), position,
                Objects.requireNonNull(statement, "statement"));
    }

    /** This event with another position (the same change). */
    public ChangeEvent withPosition(SourcePosition p) {
        return new ChangeEvent(pipeline, op, table, before, after, primaryKey, columns, p, ddl);
    }

    /** This event with other images and columns (a projection of the same change). */
    public ChangeEvent withRows(Map<String, Object> newBefore, Map<String, Object> newAfter, Map<String, String> newColumns) {
        return new ChangeEvent(pipeline, op, table, newBefore, newAfter, primaryKey, newColumns, position, ddl);
    }

    /** The row as it is now: after, or for a delete the last known image (before). */
    public Map<String, Object> row() {
        return after != null ? after : before;
    }

    /** Primary-key column → value, in key order, taken from {@link #row()}. */
    public Map<String, Object> key() {
        Map<String, Object> row = row();
        Map<String, Object> key = new LinkedHashMap<>();
        for (String column : primaryKey) {
            key.put(column, row == null ? null : row.get(column));
        }
        return key;
    }

    /**
     * Stable id for deduplication: the same change re-delivered after a restart gets the same id, two different
     * changes never share one (the position alone is not unique: every row of a snapshot has the same LSN, hence the key).
     */
    public String id() {
        return appendIdKey(appendIdPrefix(new StringBuilder(96))).toString();
    }

    /** The part of {@link #id()} before the key values — the same for every row of a snapshot's table. */
    public String idPrefix() {
        return appendIdPrefix(new StringBuilder(64)).toString();
    }

    /** The rest of {@link #id()}: the key values and the closing bracket. */
    public String idKey() {
        return appendIdKey(new StringBuilder(16)).toString();
    }

    // connector:schema.table:position:[key values] — built without the key map (this runs for every record sent)
    private StringBuilder appendIdPrefix(StringBuilder id) {
        return id.append(position.connector()).append(':').append(table.qualifiedName()).append(':').append(position.position()).append(":[");
    }

    private StringBuilder appendIdKey(StringBuilder id) {
        Map<String, Object> row = row();
        for (int i = 0; i < primaryKey.size(); i++) {
            id.append(i == 0 ? "" : ", ").append(row == null ? null : row.get(primaryKey.get(i)));
        }
        return id.append(']');
    }
}
