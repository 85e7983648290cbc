package sources;

import snapshots.SnapshotLedger;

import java.util.Map;
import java.util.function.Consumer;

/**
 * A source's side of its {@link SnapshotLedger}: whether the snapshot may still be taken again (its end not yet
 * committed), the headers that ask the route's ledger step to record a batch or to hand out the next chunk of deletes,
 * and the sweep after a retaken snapshot's last row. Without a ledger it never asks for anything.
 */
final class SnapshotRetake {

    private final SnapshotLedger ledger;
    private volatile boolean retakable;

    /** @param ledger null: the source's snapshots are not swept */
    SnapshotRetake(SnapshotLedger ledger) {
        this.ledger = ledger;
    }

    /** At the start: a snapshot is ahead (taken for the first time or again), or its end was committed before. */
    void begin(boolean snapshotAhead) {
        if (ledger == null) {
            return;
        }
        retakable = snapshotAhead;
        if (snapshotAhead) {
            ledger.begin();
        } else {
            ledger.completed(); // what a crash right after the end's commit left
        }
    }

    /** The snapshot's end is committed: it is never taken again. */
    void end() {
        retakable = false;
        if (ledger != null) {
            ledger.completed();
        }
    }

    /** The snapshot may be taken again: batches are recorded, and its last row is followed by the sweep. */
    boolean retakable() {
        return retakable;
    }

    /** The headers of a batch: recorded by the ledger step while the snapshot may be taken again. */
    Map<String, Object> headers() {
        return retakable ? Map.of(SnapshotLedger.RETAKABLE, true) : Map.of();
    }

    /**
     * After a snapshot's last row: the rows an earlier attempt delivered and this one did not are deleted, in chunks —
     * {@code deliver} sends one empty exchange with the given headers through the route per chunk (the ledger step fills
     * it) and throws when it was not delivered.
     */
    void sweep(Consumer<Map<String, Object>> deliver) {
        if (ledger == null || !retakable) {
            return;
        }
        long deletes = ledger.prepareSweep();
        for (long sent = 0; sent < deletes; sent += ledger.chunk()) {
            deliver.accept(Map.of(SnapshotLedger.SWEEP, true));
        }
    }
}
