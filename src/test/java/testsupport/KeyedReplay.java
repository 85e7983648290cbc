package testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A destination replayed per key and compared with the source's rows: what a consumer that applies every change in
 * order ends up with. Rows are compared as column → text.
 */
public final class KeyedReplay {

    private static final ObjectMapper JSON = new ObjectMapper();

    private KeyedReplay() {
    }

    /** The differences between the replayed destination and the source; {@link Diff#empty()} when they are equal. */
    public record Diff(List<String> lost, List<String> deletedButAlive, List<String> mismatched) {
        public boolean empty() {
            return lost.isEmpty() && deletedButAlive.isEmpty() && mismatched.isEmpty();
        }

        @Override
        public String toString() {
            return "lost " + lost.size() + " " + head(lost) + ", deleted but alive " + deletedButAlive.size() + " "
                    + head(deletedButAlive) + ", mismatched " + mismatched.size() + " " + head(mismatched);
        }

        private static List<String> head(List<String> l) {
            return l.subList(0, Math.min(5, l.size()));
        }
    }

    /**
     * A topic in Debezium's format replayed: the record key → the last {@code after} image (a delete removes the key).
     * Each row keeps only {@code columns}, as text.
     */
    public static Map<String, Map<String, String>> debeziumTopic(List<ConsumerRecord<String, String>> records, List<String> columns) {
        Map<String, Map<String, String>> rows = new TreeMap<>();
        for (ConsumerRecord<String, String> r : records) {
            if (r.value() == null) {
                continue; // a tombstone follows its delete
            }
            try {
                JsonNode e = JSON.readTree(r.value());
                JsonNode envelope = e.has("payload") ? e.get("payload") : e;
                if ("d".equals(envelope.path("op").asText())) {
                    rows.remove(r.key());
                } else {
                    rows.put(r.key(), row(envelope.get("after"), columns));
                }
            } catch (Exception ex) {
                throw new IllegalStateException("not a Debezium record: " + r.value(), ex);
            }
        }
        return rows;
    }

    private static Map<String, String> row(JsonNode after, List<String> columns) {
        Map<String, String> row = new TreeMap<>();
        for (String c : columns) {
            JsonNode v = after.get(c);
            row.put(c, v == null || v.isNull() ? null : v.asText());
        }
        return row;
    }

    public static Diff compare(Map<String, Map<String, String>> source, Map<String, Map<String, String>> destination) {
        List<String> lost = new ArrayList<>();
        List<String> alive = new ArrayList<>();
        List<String> mismatched = new ArrayList<>();
        source.forEach((k, row) -> {
            Map<String, String> there = destination.get(k);
            if (there == null) {
                lost.add(k);
            } else if (!Objects.equals(row, there)) {
                mismatched.add(k + ": source " + row + ", destination " + there);
            }
        });
        destination.keySet().stream().filter(k -> !source.containsKey(k)).forEach(alive::add);
        return new Diff(lost, alive, mismatched);
    }
}
