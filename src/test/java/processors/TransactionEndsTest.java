package processors;

import model.ChangeEvent;
import model.Op;
import model.SourcePosition;
import model.TableId;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TransactionEndsTest {

    static ChangeEvent change(String tx, long seq, boolean snapshot) {
        return ChangeEvent.row("p", snapshot ? Op.READ : Op.CREATE, new TableId("db", null, "t"), null, Map.of("id", seq),
                List.of("id"), Map.of("id", "INT"), new SourcePosition("mysql", "f:1:0", tx, seq, Instant.EPOCH, snapshot));
    }

    @Test
    void theLastChangeBeforeAnotherTransactionEndsItsTransaction() {
        List<ChangeEvent> marked = TransactionEnds.mark(List.of(change(null, 0, true), change(null, 0, true),
                change("a", 1, false), change("a", 2, false), change("b", 1, false), change("c", 1, false), change("c", 2, false)));
        assertEquals(List.of(false, false, false, true, true, false, false),
                marked.stream().map(e -> e.position().lastInTx()).toList(),
                "snapshot rows never; a and b end inside the batch; c may go on in the next batch, so it is not marked");
    }

    @Test
    void wholeTransactionsAreNumberedAmongTheirDeliveredChanges() {
        // "a" lost its second change to a filter before this step: it counts the changes that reach the sink
        List<ChangeEvent> numbered = TransactionEnds.number(List.of(change(null, 0, true), change("a", 1, false), change("a", 3, false),
                change("b", 1, false), change("a", 4, false), change("c", 1, false)));
        assertEquals(List.of("0/0", "1/3", "2/3", "1/1", "3/3", "1/1"),
                numbered.stream().map(e -> e.position().seqInTx() + "/" + e.position().txSize()).toList());
        assertEquals(List.of(false, false, false, true, true, true), numbered.stream().map(e -> e.position().lastInTx()).toList(),
                "every transaction of the batch is whole: the last one ends too");
    }
}
