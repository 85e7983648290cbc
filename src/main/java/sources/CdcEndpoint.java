package sources;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.component.debezium.DebeziumEndpoint;
import org.apache.camel.component.debezium.configuration.EmbeddedDebeziumConfiguration;
import org.apache.camel.support.DefaultEndpoint;

/** See {@link CdcComponent}. Consumer only. */
public class CdcEndpoint extends DefaultEndpoint {

    private final DebeziumEndpoint<?> delegate;
    private final boolean stopAfterSnapshot;
    private final StartCheck startCheck;
    private final ParallelSnapshot parallelSnapshot;

    CdcEndpoint(String uri, CdcComponent component, DebeziumEndpoint<?> delegate, boolean stopAfterSnapshot,
                StartCheck startCheck, ParallelSnapshot parallelSnapshot) {
        super(uri, component);
        this.delegate = delegate;
        this.stopAfterSnapshot = stopAfterSnapshot;
        this.startCheck = startCheck == null ? engine -> { } : startCheck;
        this.parallelSnapshot = parallelSnapshot;
    }

    /** The snapshot read by several connections before the engine streams (PostgreSQL), or null: Debezium's own. */
    public ParallelSnapshot parallelSnapshot() {
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
