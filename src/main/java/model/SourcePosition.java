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
 */
public record SourcePosition(String connector, String position, String txId, long seqInTx, Instant commitTs, boolean snapshot) {
}
