package snapshots;

import model.ChangeEvent;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

import java.util.List;

/**
 * The route step of a {@link SnapshotLedger}, just before dedup and the sink, so it sees what the sink will get (after
 * selection, row filter, columns and renames): a batch marked {@link SnapshotLedger#RETAKABLE} has its keys recorded;
 * an exchange marked {@link SnapshotLedger#SWEEP} becomes the next chunk of the retake's deletes.
 */
public final class SnapshotLedgerStep implements Processor {

    private final SnapshotLedger ledger;

    public SnapshotLedgerStep(SnapshotLedger ledger) {
        this.ledger = ledger;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void process(Exchange exchange) {
        if (Boolean.TRUE.equals(exchange.getIn().getHeader(SnapshotLedger.SWEEP))) {
            exchange.getIn().setBody(ledger.nextSweepChunk());
        } else if (Boolean.TRUE.equals(exchange.getIn().getHeader(SnapshotLedger.RETAKABLE))) {
            ledger.record(exchange.getIn().getBody(List.class));
        }
    }
}
