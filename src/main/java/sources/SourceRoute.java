package sources;

import org.apache.camel.model.RouteDefinition;
import snapshots.SnapshotLedger;

/**
 * A pipeline route as its source starts it.
 *
 * @param snapshotLedger the ledger of rows a snapshot delivered, when the source takes one that may be retaken after a
 *                       crash (its step goes before dedup and the sink); null otherwise
 */
public record SourceRoute(RouteDefinition route, SnapshotLedger snapshotLedger) {
}
