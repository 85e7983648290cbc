package sources;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.component.debezium.DebeziumEndpoint;
import org.apache.camel.component.debezium.configuration.EmbeddedDebeziumConfiguration;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;
import snapshots.SnapshotLedger;

/**
 * The CDC source: a camel-debezium endpoint run in batches. Each exchange is one batch of changes (its body a list of
 * Kafka Connect SourceRecord); its offsets are committed only after the route completed it without an exception.
 * Besides the options below, every option of the camel-debezium endpoint named in the path ({@code debezium-postgres},
 * {@code debezium-mysql}, {@code debezium-sqlserver}) applies as Camel documents it. How it works: {@link CdcComponent}.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "cdc", title = "Tributary CDC (Debezium in batches)",
        syntax = "cdc:connector:name", consumerOnly = true, category = {Category.DATABASE},
        lenientProperties = true)
public class CdcEndpoint extends DefaultEndpoint {

    @UriPath(description = "The camel-debezium endpoint: debezium-postgres, debezium-mysql or debezium-sqlserver")
    @Metadata(required = true)
    private String connector;
    @UriPath(description = "A name for this source (the connector's topic prefix usually matches it)")
    @Metadata(required = true)
    private String name;
    @UriParam(defaultValue = "false", description = "End the source once the snapshot is committed (a pipeline's mode full)")
    private boolean stopAfterSnapshot;
    @UriParam(defaultValue = "false", description = "Deliver whole source transactions only: a batch ends where a transaction"
            + " ends, and the changes of a transaction not yet committed wait for the next batch (set provideTransactionMetadata=true)")
    private boolean wholeTransactions;
    @UriParam(defaultValue = "false", description = "Prepare the stream's next batch (the steps before the sink, encoding)"
            + " while the batch before it waits for its acknowledgements; the sink sends it after that batch is delivered."
            + " Not for a route whose steps after the sink must see a batch delivered before the next is prepared (dedup)")
    private boolean overlapBatches;
    @UriParam(label = "advanced", description = "#bean:NAME of a sources.StartCheck run before the engine starts; several: #bean:A,#bean:B, in that order")
    private StartCheck startCheck = engine -> {
    };
    @UriParam(label = "advanced", description = "#bean:NAME of a sources.SnapshotReader that takes the snapshot before the"
            + " engine streams without one (the PostgreSQL and MySQL/MariaDB parallel snapshots)")
    private SnapshotReader parallelSnapshot;
    @UriParam(description = "#bean:NAME of a snapshots.SnapshotLedgerStep (also run as a step before dedup and the sink):"
            + " a snapshot retaken after a crash deletes the rows that are gone")
    private SnapshotLedger snapshotLedger;

    private final DebeziumEndpoint<?> delegate;

    CdcEndpoint(String uri, CdcComponent component, DebeziumEndpoint<?> delegate) {
        super(uri, component);
        String path = org.apache.camel.util.StringHelper.before(uri, "?", uri);
        path = path.substring(path.indexOf(':') + 1).replaceFirst("^//", "");
        this.connector = org.apache.camel.util.StringHelper.before(path, ":", path);
        this.name = org.apache.camel.util.StringHelper.after(path, ":", "");
        this.delegate = delegate;
    }

    /** The camel-debezium scheme this endpoint runs. */
    public String getConnector() {
        return connector;
    }

    public String getName() {
        return name;
    }

    /** What a snapshot delivered until its end is committed, or null: a snapshot taken again is not swept. */
    public SnapshotLedger getSnapshotLedger() {
        return snapshotLedger;
    }

    public void setSnapshotLedger(SnapshotLedger snapshotLedger) {
        this.snapshotLedger = snapshotLedger;
    }

    /** The snapshot read by several connections before the engine streams (PostgreSQL, MySQL, MariaDB), or null: Debezium's own. */
    public SnapshotReader getParallelSnapshot() {
        return parallelSnapshot;
    }

    public void setParallelSnapshot(SnapshotReader parallelSnapshot) {
        this.parallelSnapshot = parallelSnapshot;
    }

    public boolean isWholeTransactions() {
        return wholeTransactions;
    }

    public void setWholeTransactions(boolean wholeTransactions) {
        this.wholeTransactions = wholeTransactions;
    }

    public boolean isOverlapBatches() {
        return overlapBatches;
    }

    public void setOverlapBatches(boolean overlapBatches) {
        this.overlapBatches = overlapBatches;
    }

    public boolean isStopAfterSnapshot() {
        return stopAfterSnapshot;
    }

    public void setStopAfterSnapshot(boolean stopAfterSnapshot) {
        this.stopAfterSnapshot = stopAfterSnapshot;
    }

    public StartCheck getStartCheck() {
        return startCheck;
    }

    /** null: no check. */
    public void setStartCheck(StartCheck startCheck) {
        this.startCheck = startCheck == null ? engine -> {
        } : startCheck;
    }

    /** The stock endpoint's typed configuration: the one source of the engine's properties. */
    public EmbeddedDebeziumConfiguration debeziumConfiguration() {
        return delegate.getConfiguration();
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        CdcConsumer consumer = new CdcConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("cdc: endpoints are sources only: " + getEndpointUri());
    }

    @Override
    public boolean isRemote() {
        return true;
    }
}
