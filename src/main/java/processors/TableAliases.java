package processors;

import model.TableId;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tables known under another name while the pipeline runs, each mapped to the table whose destination it keeps: a table
 * renamed by DDL on a binlog source ({@link RenameFollower}), and a table the pipeline itself renames
 * ({@code objects[].rename}, {@link ColumnProjection}) so that the sink finds the renamed changes' destination. The one
 * part of routing that changes at run time; {@link ObjectRouting} does not.
 */
public final class TableAliases {

    /** Alias → the table it stands for. */
    private final Map<TableId, TableId> aliases = new ConcurrentHashMap<>();
    private volatile Runnable onChange = () -> {
    };

    /** From now on, {@code alias} stands for what {@code table} stands for. */
    public void add(TableId alias, TableId table) {
        TableId original = aliases.getOrDefault(table, table);
        if (original.equals(aliases.get(alias))) {
            return; // the projection renames every change of a table: a read, not a write, when nothing changes
        }
        aliases.put(alias, original);
        onChange.run();
    }

    public boolean isAlias(TableId table) {
        return aliases.containsKey(table);
    }

    /** The table this name stands for (itself when it is no alias). */
    public TableId original(TableId table) {
        return aliases.getOrDefault(table, table);
    }

    /** Run after an alias is added or changed (a cache of answers by name must forget them). */
    void onChange(Runnable action) {
        this.onChange = action;
    }
}
