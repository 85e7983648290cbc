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
 */
public class TransactionEnds implements Processor {

    @Override
    public void process(Exchange exchange) throws Exception {
        @SuppressWarnings("unchecked")
        List<ChangeEvent> events = exchange.getIn().getMandatoryBody(List.class);
        exchange.getIn().setBody(mark(events));
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
