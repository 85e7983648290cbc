package sources;

import org.apache.camel.Processor;
import snapshots.SnapshotLedger;

/**
 * How a pipeline's route starts, as its source plug-in decides: the endpoint it consumes and the source's own steps.
 * The rest of the route is the pipeline template's ({@code routes.PipelineTemplate}).
 *
 * @param uri            the source endpoint's URI; the beans it refers to are bound in the registry, and an endpoint
 *                       the plug-in builds itself is registered in the context under this URI
 * @param normalize      the step that makes each exchange one batch of canonical changes ({@code List<ChangeEvent>})
 * @param renames        the step that follows tables renamed by DDL (binlog sources); null: none
 * @param snapshotLedger the ledger of rows a snapshot delivered, when the source takes one that may be retaken after a
 *                       crash (its step goes before dedup and the sink); null otherwise
 */
public record SourceRoute(String uri, Processor normalize, Processor renames, SnapshotLedger snapshotLedger) {
}
