package model;

import java.time.Instant;

/**
 * Where a change sits in its source's log.
 *
 * @param connector source kind, e.g. {@code postgresql}
 * @param position  the connector's log position as text (PostgreSQL: the LSN as a decimal number)
 * @param txId      the source transaction id, null if unknown
 * @param seqInTx   1-based sequence of this change inside its transaction (0 for snapshot rows)
 * @param commitTs  commit time of the transaction at the source (snapshot rows: the snapshot time)
 * @param snapshot  true for rows read by a snapshot
 * @param lastInTx  the last change of its transaction in what reaches the sink, when that is known (set by
 *                  {@code processors.TransactionEnds} where the next change of the same batch belongs to another transaction)
 * @param txSize    the number of changes of its transaction that reach the sink, when batches hold whole transactions
 *                  ({@code processors.TransactionEnds} numbers them, {@code seqInTx} then counts the same changes); 0 unknown
 */
public record SourcePosition(String connector, String position, String txId, long seqInTx, Instant commitTs, boolean snapshot,
                             boolean lastInTx, long txSize) {

    public SourcePosition(String connector, String position, String txId, long seqInTx, Instant commitTs, boolean snapshot) {
        this(connector, position, txId, seqInTx, commitTs, snapshot, false, 0);
    }

    public SourcePosition(String connector, String position, String txId, long seqInTx, Instant commitTs, boolean snapshot,
                          boolean lastInTx) {
        this(connector, position, txId, seqInTx, commitTs, snapshot, lastInTx, 0);
    }

    public SourcePosition endingTransaction() {
        return new SourcePosition(connector, position, txId, seqInTx, commitTs, snapshot, true, txSize);
    }

    /** This change as the {@code seq}-th of the {@code size} changes of its whole transaction that reach the sink. */
    public SourcePosition numbered(long seq, long size) {
        return new SourcePosition(connector, position, txId, seq, commitTs, snapshot, seq == size, size);
    }
}
