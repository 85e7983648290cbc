package routes;

import config.PipelineSpec;
import processors.ColumnProjection;
import processors.RowFilter;

import java.util.ArrayList;
import java.util.List;

/**
 * The steps of a pipeline's route after its source, in the order they run: the one place that decides them, for the
 * pipeline template ({@link PipelineTemplate}), the routes pipelines run from it ({@link PipelineRoutes}) and the route
 * {@code routes export} writes ({@link PipelineExport}).
 */
enum PipelineSteps {
    /** the objects' tables only */
    SELECT("select"),
    /** changes committed before {@code startTimestamp} dropped */
    START_AT("start-at"),
    /** {@code objects[].where} */
    WHERE("where"),
    /** {@code objects[].columns} and {@code rename} */
    COLUMNS("columns"),
    /** Maxwell's {@code "commit": true} on each transaction's last change; SharePlex's numbers within whole transactions */
    TRANSACTION_ENDS("transaction-ends"),
    /** what a retakable snapshot delivered, and the retake's deletes */
    SNAPSHOT_LEDGER("snapshot-ledger"),
    /** changes already delivered dropped */
    DEDUP("dedup"),
    /** the sink; the exchange completes when it acknowledged every change */
    SINK("sink"),
    /** the delivered changes' ids remembered */
    DEDUP_REMEMBER("dedup-remember");

    /** The step's id in the route ({@code PIPELINE-suffix}), and the pipeline template's parameter naming its bean. */
    final String suffix;

    PipelineSteps(String suffix) {
        this.suffix = suffix;
    }

    /** A pipeline's steps; {@code snapshotLedger}: its source takes a snapshot that may be retaken. */
    static List<PipelineSteps> of(PipelineSpec spec, boolean snapshotLedger) {
        List<PipelineSteps> steps = new ArrayList<>();
        steps.add(SELECT);
        if (spec.startTimestamp() != null) {
            steps.add(START_AT);
        }
        if (RowFilter.needed(spec.objects())) {
            steps.add(WHERE);
        }
        if (ColumnProjection.needed(spec.objects())) {
            steps.add(COLUMNS);
        }
        if (spec.format().type().equals("maxwell") || spec.format().wholeTransactions()) {
            steps.add(TRANSACTION_ENDS);
        }
        if (snapshotLedger) {
            steps.add(SNAPSHOT_LEDGER);
        }
        if (spec.dedup() != null) {
            steps.add(DEDUP);
        }
        steps.add(SINK);
        if (spec.dedup() != null) {
            steps.add(DEDUP_REMEMBER);
        }
        return steps;
    }
}
