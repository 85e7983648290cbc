package sources.postgres;

import model.TableId;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What the parallel snapshot reads, planned: the tables the pipeline selects, with their keys, size in pages and rows
 * per page, cut into chunks of pages (ctid ranges) of about {@code chunkRows} rows that the readers take one by one.
 */
final class PostgresSnapshotChunks {

    private PostgresSnapshotChunks() {
    }

    /** A table to read: its name, key columns, and page ranges. */
    record Table(TableId id, String quoted, List<String> primaryKey, long pages, long rowsPerPage, boolean partitioned) {
    }

    /** One unit of work: a table's pages [from, to), to = -1 for "to the end" (a partitioned table: all of it). */
    record Chunk(Table table, long from, long to) {
    }

    /** Each table cut into page ranges of about {@code chunkRows} rows; the last range of a table is open-ended. */
    static List<Chunk> chunks(List<Table> tables, int chunkRows) {
        List<Chunk> chunks = new ArrayList<>();
        for (Table t : tables) {
            if (t.partitioned() || t.pages() == 0) {
                chunks.add(new Chunk(t, 0, t.partitioned() ? -1 : Long.MAX_VALUE));
                continue;
            }
            long step = Math.max(1, chunkRows / Math.max(1, t.rowsPerPage()));
            for (long from = 0; from < t.pages(); from += step) {
                long to = from + step >= t.pages() ? Long.MAX_VALUE : from + step; // pages added since: read too
                chunks.add(new Chunk(t, from, to));
            }
        }
        return chunks;
    }

    /** The ordinary and partitioned tables the include regexes ({@code schema.table}) match, with their key columns, size and density. */
    static List<Table> tables(Connection c, String database, List<Pattern> include) throws SQLException {
        String sql = """
                SELECT n.nspname, c.relname, c.relkind = 'p',
                       pg_relation_size(c.oid) / current_setting('block_size')::bigint,
                       CASE WHEN c.relpages > 0 AND c.reltuples > 0 THEN ceil(c.reltuples / c.relpages)::bigint ELSE 100 END,
                       (SELECT array_agg(a.attname ORDER BY array_position(k.conkey, a.attnum))
                          FROM pg_constraint k JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = ANY (k.conkey)
                         WHERE k.conrelid = c.oid AND k.contype = 'p')
                  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
                   AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
                 ORDER BY 1, 2""";
        List<Table> tables = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                String schema = rs.getString(1);
                String name = rs.getString(2);
                if (include.stream().noneMatch(p -> p.matcher(schema + "." + name).matches())) {
                    continue;
                }
                java.sql.Array key = rs.getArray(6);
                List<String> primaryKey = key == null ? List.of() : List.of((String[]) key.getArray());
                tables.add(new Table(new TableId(database, schema, name), quote(schema) + "." + quote(name), primaryKey,
                        rs.getLong(4), rs.getLong(5), rs.getBoolean(3)));
            }
        }
        return tables;
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
