package processors;

import model.ChangeEvent;
import model.Op;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Marks the last change of each transaction in a batch ({@code SourcePosition.lastInTx}, Maxwell's {@code commit}):
 * a change is last when the next change of the same batch belongs to another transaction. Runs just before the sink,
 * after every filter, so the mark sits on a change that is delivered. A transaction still open at the batch's end
 * (cut by the batch bound, or its rest not yet read) is not marked — its changes keep their sequence numbers.
 * <p>
 * With {@code wholeTransactions} the source delivers whole transactions only ({@code cdc:}'s option of that name), so
 * every transaction of the batch is complete: each change is numbered among its transaction's delivered changes
 * ({@code seqInTx} of {@code txSize}, SharePlex's {@code meta.seq/size}) and the last one marked.
 */
public class TransactionEnds implements Processor {

    private boolean wholeTransactions;

    public TransactionEnds() {
    }

    public TransactionEnds(boolean wholeTransactions) {
        this.wholeTransactions = wholeTransactions;
    }

    public boolean isWholeTransactions() {
        return wholeTransactions;
    }

    public void setWholeTransactions(boolean wholeTransactions) {
        this.wholeTransactions = wholeTransactions;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        @SuppressWarnings("unchecked")
        List<ChangeEvent> events = exchange.getIn().getMandatoryBody(List.class);
        exchange.getIn().setBody(wholeTransactions ? number(events) : mark(events));
    }

    /** Every transaction of the batch complete: its row changes numbered 1..size in batch order, the last one marked. */
    static List<ChangeEvent> number(List<ChangeEvent> events) {
        java.util.Map<String, Long> sizes = new java.util.HashMap<>();
        for (ChangeEvent e : events) {
            if (counted(e)) {
                sizes.merge(e.position().txId(), 1L, Long::sum);
            }
        }
        java.util.Map<String, Long> seen = new java.util.HashMap<>();
        List<ChangeEvent> numbered = new ArrayList<>(events.size());
        for (ChangeEvent e : events) {
            if (counted(e)) {
                String tx = e.position().txId();
                numbered.add(e.withPosition(e.position().numbered(seen.merge(tx, 1L, Long::sum), sizes.get(tx))));
            } else {
                numbered.add(e);
            }
        }
        return numbered;
    }

    /** Row changes of a streamed transaction; DDL and snapshot rows carry no numbers. */
    private static boolean counted(ChangeEvent e) {
        return e.position().txId() != null && e.op() != Op.DDL && !e.position().snapshot();
    }

    static List<ChangeEvent> mark(List<ChangeEvent> events) {
        List<ChangeEvent> marked = new ArrayList<>(events);
        for (int i = 0; i + 1 < marked.size(); i++) {
            ChangeEvent e = marked.get(i);
            String tx = e.position().txId();
            if (tx != null && e.op() != Op.DDL && !e.position().snapshot() && !Objects.equals(tx, marked.get(i + 1).position().txId())) {
                marked.set(i, e.withPosition(e.position().endingTransaction()));
            }
        }
        return marked;
    }
}
