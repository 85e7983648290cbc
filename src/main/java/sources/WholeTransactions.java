package sources;

import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

import java.util.ArrayList;
import java.util.List;

/**
 * Batches that hold whole source transactions only, from Debezium's transaction metadata (its BEGIN and END records
 * on the {@code <topic.prefix>.transaction} topic): a batch ends after the last transaction that ended in it, and the
 * records of a transaction still open wait, not marked processed, for the batch in which it ends. So the committed
 * offset never falls inside a transaction, and a transaction larger than the engine's batch bound goes whole into one
 * (larger) batch. Records outside any transaction (snapshot rows, heartbeats) end a batch where they stand.
 */
final class WholeTransactions {

    private final String topic;
    private final List<SourceRecord> held = new ArrayList<>();
    private boolean open;

    /** @param topicPrefix the connector's {@code topic.prefix}: its transaction records go to {@code <prefix>.transaction} */
    WholeTransactions(String topicPrefix) {
        this.topic = topicPrefix + ".transaction";
    }

    /** A BEGIN or END record: it carries no change. */
    boolean isMarker(SourceRecord record) {
        return topic.equals(record.topic());
    }

    /** The records to deliver now: those held before and the new ones, up to the last transaction end; the rest held. */
    List<SourceRecord> take(List<SourceRecord> records) {
        List<SourceRecord> all = new ArrayList<>(held);
        all.addAll(records);
        held.clear();
        int cut = 0;
        for (int i = 0; i < all.size(); i++) {
            SourceRecord r = all.get(i);
            if (r != null && isMarker(r) && r.value() instanceof Struct marker) {
                open = "BEGIN".equals(marker.getString("status"));
                if (!open) {
                    cut = i + 1;
                }
            } else if (!open) {
                cut = i + 1;
            }
        }
        held.addAll(all.subList(cut, all.size()));
        return all.subList(0, cut);
    }

    /** Records held for a transaction's end (shown in the status while a large transaction is read). */
    int holding() {
        return held.size();
    }

    /** The engine starts again: it reads the held records again from the committed offset. */
    void reset() {
        held.clear();
        open = false;
    }
}
