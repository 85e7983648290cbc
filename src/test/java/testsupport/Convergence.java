package testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;

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

    /** Topics in Debezium's format, one per table (table → its records in topic order), replayed and checked. */
    public static Report ofDebeziumTopics(Map<String, Map<String, String>> source, Map<String, List<ConsumerRecord<String, String>>> topics) {
        Map<String, Map<String, String>> replayed = new TreeMap<>();
        Map<String, Integer> maxN = new HashMap<>();
        Set<String> identities = new HashSet<>();
        List<String> gaps = new ArrayList<>();
        long records = 0;
        for (Map.Entry<String, List<ConsumerRecord<String, String>>> topic : topics.entrySet()) {
            for (ConsumerRecord<String, String> r : topic.getValue()) {
                if (r.value() == null) {
                    continue;
                }
                records++;
                String key = topic.getKey() + "/" + r.key();
                JsonNode e;
                try {
                    e = JSON.readTree(r.value());
                } catch (Exception ex) {
                    throw new IllegalStateException("not JSON: " + r.value(), ex);
                }
                String op = e.path("op").asText();
                if (op.equals("d")) {
                    replayed.remove(key);
                    identities.add(key + ":d");
                    continue;
                }
                JsonNode after = e.get("after");
                int n = after.get("n").asInt();
                identities.add(key + ":" + (op.equals("r") ? "r" : "c") + n + ":" + after.get("v").asText());
                int seen = maxN.getOrDefault(key, -1);
                if (!op.equals("r") && n > seen + 1) {
                    gaps.add(key + " n " + seen + " -> " + n + " at offset " + r.partition() + "/" + r.offset());
                }
                maxN.put(key, Math.max(seen, n));
                Map<String, String> row = new TreeMap<>();
                row.put("v", after.get("v").asText());
                row.put("n", String.valueOf(n));
                replayed.put(key, row);
            }
        }
        return new Report(source.size(), records, KeyedReplay.compare(source, replayed), records - identities.size(), gaps);
    }
}
