package sources;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.component.debezium.DebeziumEndpoint;
import org.apache.camel.component.debezium.configuration.EmbeddedDebeziumConfiguration;
import org.apache.camel.support.DefaultEndpoint;
import snapshots.SnapshotLedger;

/** See {@link CdcComponent}. Consumer only. */
public class CdcEndpoint extends DefaultEndpoint {

    private final DebeziumEndpoint<?> delegate;
    private final boolean stopAfterSnapshot;
    private final StartCheck startCheck;
    private final SnapshotReader parallelSnapshot;
    private final SnapshotLedger snapshotLedger;

    CdcEndpoint(String uri, CdcComponent component, DebeziumEndpoint<?> delegate, boolean stopAfterSnapshot,
                StartCheck startCheck, SnapshotReader parallelSnapshot, SnapshotLedger snapshotLedger) {
        super(uri, component);
        this.delegate = delegate;
        this.stopAfterSnapshot = stopAfterSnapshot;
        this.startCheck = startCheck == null ? engine -> { } : startCheck;
        this.parallelSnapshot = parallelSnapshot;
        this.snapshotLedger = snapshotLedger;
    }

    /** What a snapshot delivered until its end is committed, or null: a snapshot taken again is not swept. */
    public SnapshotLedger snapshotLedger() {
        return snapshotLedger;
    }

    /** The snapshot read by several connections before the engine streams (PostgreSQL), or null: Debezium's own. */
    public SnapshotReader parallelSnapshot() {
        return parallelSnapshot;
    }

    /** The stock endpoint's typed configuration: the one source of the engine's properties. */
    public EmbeddedDebeziumConfiguration debeziumConfiguration() {
        return delegate.getConfiguration();
    }

    public boolean stopAfterSnapshot() {
        return stopAfterSnapshot;
    }

    public StartCheck startCheck() {
        return startCheck;
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
