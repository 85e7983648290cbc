package sources.binlog;

import model.TableId;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the MySQL/MariaDB parallel snapshot reads, planned: the base tables the pipeline selects with their keys and
 * estimated rows, cut into key ranges of about {@code chunkRows} rows that the readers take one by one; and the
 * tables' columns, to tell whether they changed while the snapshot ran.
 */
final class BinlogSnapshotChunks {

    private static final Set<String> INTEGER_TYPES = Set.of("tinyint", "smallint", "mediumint", "int", "integer", "bigint");

    private BinlogSnapshotChunks() {
    }

    /** A table to read: its name, integer key column (null: read whole) and estimated rows. */
    record Table(TableId id, String quoted, List<String> primaryKey, String rangeColumn, long rows) {
    }

    /** A range of a table's key: [from, to), null for no bound; both null: the whole table. */
    record Chunk(Table table, Long from, Long to) {
    }

    /** The base tables the include regexes ({@code database.table}) match, with their keys and estimated rows. */
    static List<Table> tables(Connection c, List<Pattern> include) throws SQLException {
        String sql = """
                SELECT t.TABLE_SCHEMA, t.TABLE_NAME, COALESCE(t.TABLE_ROWS, 0),
                       (SELECT GROUP_CONCAT(k.COLUMN_NAME ORDER BY k.ORDINAL_POSITION SEPARATOR '\\n')
                          FROM information_schema.KEY_COLUMN_USAGE k
                         WHERE k.TABLE_SCHEMA = t.TABLE_SCHEMA AND k.TABLE_NAME = t.TABLE_NAME AND k.CONSTRAINT_NAME = 'PRIMARY')
                  FROM information_schema.TABLES t
                 WHERE t.TABLE_TYPE = 'BASE TABLE'
                   AND t.TABLE_SCHEMA NOT IN ('mysql', 'information_schema', 'performance_schema', 'sys')
                 ORDER BY 1, 2""";
        List<Table> tables = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                String db = rs.getString(1);
                String name = rs.getString(2);
                if (include.stream().noneMatch(p -> p.matcher(db + "." + name).matches())) {
                    continue;
                }
                List<String> key = rs.getString(4) == null ? List.of() : List.of(rs.getString(4).split("\n"));
                tables.add(new Table(new TableId(db, null, name), quote(db) + "." + quote(name), key, null, rs.getLong(3)));
            }
        }
        List<Table> withRanges = new ArrayList<>();
        for (Table t : tables) {
            withRanges.add(t.primaryKey().size() == 1 && integerColumn(c, t, t.primaryKey().get(0))
                    ? new Table(t.id(), t.quoted(), t.primaryKey(), t.primaryKey().get(0), t.rows()) : t);
        }
        return withRanges;
    }

    private static boolean integerColumn(Connection c, Table t, String column) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "SELECT DATA_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND COLUMN_NAME = ?")) {
            st.setString(1, t.id().database());
            st.setString(2, t.id().table());
            st.setString(3, column);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() && INTEGER_TYPES.contains(rs.getString(1).toLowerCase(Locale.ROOT));
            }
        }
    }

    /** The captured tables' columns and types, to tell whether they changed while the snapshot ran. */
    static String columns(Connection c, List<Table> tables) throws SQLException {
        StringBuilder all = new StringBuilder();
        try (PreparedStatement st = c.prepareStatement("SELECT COLUMN_NAME, COLUMN_TYPE FROM information_schema.COLUMNS"
                + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION")) {
            for (Table t : tables) {
                st.setString(1, t.id().database());
                st.setString(2, t.id().table());
                all.append(t.quoted()).append(':');
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        all.append(rs.getString(1)).append(' ').append(rs.getString(2)).append(',');
                    }
                }
                all.append('\n');
            }
        }
        return all.toString();
    }

    /**
     * Each table with an integer key cut into key ranges of about {@code chunkRows} rows (from its lowest and highest key in
     * the snapshot and its estimated row count), the first and last open-ended; any other table whole.
     */
    static List<Chunk> chunks(Connection reader, List<Table> tables, int chunkRows) throws SQLException {
        List<Chunk> chunks = new ArrayList<>();
        for (Table t : tables) {
            if (t.rangeColumn() == null) {
                chunks.add(new Chunk(t, null, null));
                continue;
            }
            long min;
            long max;
            try (Statement st = reader.createStatement();
                 ResultSet rs = st.executeQuery("SELECT MIN(" + quote(t.rangeColumn()) + "), MAX(" + quote(t.rangeColumn()) + ") FROM " + t.quoted())) {
                rs.next();
                if (rs.getString(1) == null) {
                    chunks.add(new Chunk(t, null, null)); // empty in the snapshot
                    continue;
                }
                try {
                    min = Long.parseLong(rs.getString(1));
                    max = Long.parseLong(rs.getString(2));
                } catch (NumberFormatException beyondLong) { // BIGINT UNSIGNED near its top
                    chunks.add(new Chunk(t, null, null));
                    continue;
                }
            }
            double span = (double) max - min + 1;
            long step = (long) Math.max(1, Math.ceil(span * chunkRows / Math.max(1, t.rows())));
            long count = (long) Math.ceil(span / step);
            for (long i = 0; i < count; i++) {
                Long from = i == 0 ? null : min + i * step;
                Long to = i == count - 1 ? null : min + (i + 1) * step;
                chunks.add(new Chunk(t, from, to));
            }
        }
        return chunks;
    }

    static String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }
}
