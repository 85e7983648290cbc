package sources;

import org.apache.camel.Component;
import org.apache.camel.Endpoint;
import org.apache.camel.component.debezium.DebeziumEndpoint;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.util.StringHelper;
import snapshots.SnapshotLedger;
import snapshots.SnapshotLedgerStep;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code cdc:debezium-postgres:name?<any debezium-postgres option>} — a Debezium source that hands the route one
 * exchange per batch of changes (body: {@code List<SourceRecord>}) and commits the batch's offsets only after the
 * exchange completed without error (docs/design.md, "The route").
 * <p>
 * The stock {@code debezium-*} endpoint named after {@code cdc:} is built by Camel from the same URI, so every option
 * it documents, {@code {{placeholders}}}, {@code RAW(...)} and {@code additionalProperties.*} work unchanged; we read
 * its typed configuration and run the engine ourselves in batch mode.
 * Our own options: {@code stopAfterSnapshot=true} ends the source once the snapshot is committed (mode {@code full});
 * {@code wholeTransactions=true} delivers whole source transactions only ({@link WholeTransactions});
 * {@code overlapBatches=true} prepares the stream's next batch while one waits for its acknowledgements
 * ({@link OverlappedBatches}: a sink's {@link sinks.DeliveryTurn} keeps the target's order; not for a route whose
 * steps after the sink must see each batch delivered before the next is prepared);
 * {@code startCheck=#bean:name} runs a {@link StartCheck} before the engine starts (several: {@code #bean:a,#bean:b},
 * in that order); {@code parallelSnapshot=#bean:name}
 * takes the snapshot with a {@link SnapshotReader} first, then the engine streams without one;
 * {@code snapshotLedger=#bean:name} records what a snapshot delivered until its end is committed, so a snapshot taken
 * again after a crash deletes the rows that are gone ({@link SnapshotLedger}, or the {@link SnapshotLedgerStep} bean that
 * the route also runs as its step).
 */
@org.apache.camel.spi.annotations.Component("cdc")
public class CdcComponent extends DefaultComponent {

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        boolean stopAfterSnapshot = Boolean.parseBoolean(String.valueOf(parameters.remove("stopAfterSnapshot")));
        boolean wholeTransactions = Boolean.parseBoolean(String.valueOf(parameters.remove("wholeTransactions")));
        boolean overlapBatches = Boolean.parseBoolean(String.valueOf(parameters.remove("overlapBatches")));
        List<StartCheck> startChecks = resolveAndRemoveReferenceListParameter(parameters, "startCheck", StartCheck.class);
        SnapshotReader parallelSnapshot = resolveAndRemoveReferenceParameter(parameters, "parallelSnapshot", SnapshotReader.class);
        Object ledgerBean = resolveAndRemoveReferenceParameter(parameters, "snapshotLedger", Object.class);
        SnapshotLedger snapshotLedger = ledgerBean instanceof SnapshotLedgerStep step ? step.ledger() : (SnapshotLedger) ledgerBean;
        String scheme = StringHelper.before(remaining, ":", remaining);
        Component component = getCamelContext().getComponent(scheme);
        if (component == null || !scheme.startsWith("debezium-")) {
            throw new IllegalArgumentException("cdc: expects a debezium-* endpoint after 'cdc:', got '" + remaining + "'");
        }
        // the parameters are already parsed (RAW(...) resolved, placeholders replaced): hand them over as they are
        Endpoint delegate = component.createEndpoint(remaining, new LinkedHashMap<>(parameters));
        parameters.clear();
        if (!(delegate instanceof DebeziumEndpoint<?> debezium)) {
            throw new IllegalArgumentException("cdc: expects a debezium-* endpoint after 'cdc:', got '" + remaining + "'");
        }
        CdcEndpoint endpoint = new CdcEndpoint(uri, this, debezium);
        endpoint.setStopAfterSnapshot(stopAfterSnapshot);
        endpoint.setWholeTransactions(wholeTransactions);
        endpoint.setOverlapBatches(overlapBatches);
        endpoint.setStartCheck(inOrder(startChecks));
        endpoint.setParallelSnapshot(parallelSnapshot);
        endpoint.setSnapshotLedger(snapshotLedger);
        return endpoint;
    }

    /** The checks run one after the other; the bean itself when there is one; null for none. */
    private static StartCheck inOrder(List<StartCheck> checks) {
        if (checks == null || checks.isEmpty()) {
            return null;
        }
        if (checks.size() == 1) {
            return checks.get(0);
        }
        return engine -> {
            for (StartCheck check : checks) {
                check.check(engine);
            }
        };
    }
}
