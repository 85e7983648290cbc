package testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The end check of a fault test: the source's rows against the destination replayed per key (tables written by
 * {@link ChangeWriter}: {@code id, v, n}). Counts what a user cares about: lost rows, deleted rows still alive, rows
 * with other values, duplicated changes, and gaps — a row's {@code n} rising by more than one between two delivered
 * changes, i.e. a change skipped or delivered out of order.
 */
public final class Convergence {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Convergence() {
    }

    public record Report(int sourceRows, long records, KeyedReplay.Diff diff, long duplicates, List<String> gaps) {
        public boolean converged() {
            return diff.empty() && gaps.isEmpty();
        }

        @Override
        public String toString() {
            return sourceRows + " rows at the source, " + records + " records; " + diff + ", duplicates " + duplicates
                    + ", gaps " + gaps.size() + " " + gaps.subList(0, Math.min(5, gaps.size()));
        }
    }

    /** Every row of the tables: "table/{"id":N}" → {v, n} as text. */
    public static Map<String, Map<String, String>> sourceRows(ChangeWriter.Connector db, List<String> tables) throws SQLException {
        Map<String, Map<String, String>> rows = new TreeMap<>();
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            for (String t : tables) {
                try (ResultSet rs = st.executeQuery("SELECT id, v, n FROM " + t)) {
                    while (rs.next()) {
                        Map<String, String> row = new TreeMap<>();
                        row.put("v", rs.getString(2));
                        row.put("n", rs.getString(3));
                        rows.put(t + "/{\"id\":" + rs.getInt(1) + "}", row);
                    }
                }
            }
        }
        return rows;
    }

    /**
     * Messages in Debezium's format, per table in the order the destination keeps them (a Kafka partition, a RocketMQ
     * queue: per key, the order of delivery), replayed and checked. A row's key is read from the message itself.
     */
    public static Report ofDebezium(Map<String, Map<String, String>> source, Map<String, List<String>> messagesByTable) {
        return ofDebezium(source, messagesByTable, true);
    }

    /** @param ordered look for gaps (false for a source that sees a row's latest state only, e.g. polling) */
    public static Report ofDebezium(Map<String, Map<String, String>> source, Map<String, List<String>> messagesByTable, boolean ordered) {
        Map<String, Map<String, String>> replayed = new TreeMap<>();
        Map<String, Integer> maxN = new HashMap<>();
        Set<String> identities = new HashSet<>();
        List<String> gaps = new ArrayList<>();
        long records = 0;
        for (Map.Entry<String, List<String>> table : messagesByTable.entrySet()) {
            for (String value : table.getValue()) {
                if (value == null) {
                    continue; // a tombstone
                }
                records++;
                JsonNode e;
                try {
                    e = JSON.readTree(value);
                } catch (Exception ex) {
                    throw new IllegalStateException("not JSON: " + value, ex);
                }
                e = e.has("payload") ? e.get("payload") : e;
                String op = e.path("op").asText();
                JsonNode image = op.equals("d") ? e.get("before") : e.get("after");
                String key = table.getKey() + "/{\"id\":" + image.get("id").asInt() + "}";
                if (op.equals("d")) {
                    replayed.remove(key);
                    identities.add(key + ":d");
                    continue;
                }
                int n = image.get("n").asInt();
                identities.add(key + ":" + (op.equals("r") ? "r" : "c") + n + ":" + image.get("v").asText());
                int seen = maxN.getOrDefault(key, -1);
                if (ordered && !op.equals("r") && n > seen + 1) {
                    gaps.add(key + " n " + seen + " -> " + n);
                }
                maxN.put(key, Math.max(seen, n));
                Map<String, String> row = new TreeMap<>();
                row.put("v", image.get("v").asText());
                row.put("n", String.valueOf(n));
                replayed.put(key, row);
            }
        }
        return new Report(source.size(), records, KeyedReplay.compare(source, replayed), records - identities.size(), gaps);
    }

    /** A destination that holds rows, not changes (a JDBC target): its rows against the source's; no duplicates or gaps to see. */
    public static Report ofRows(Map<String, Map<String, String>> source, Map<String, Map<String, String>> destination) {
        return new Report(source.size(), destination.size(), KeyedReplay.compare(source, destination), -1, List.of());
    }
}
