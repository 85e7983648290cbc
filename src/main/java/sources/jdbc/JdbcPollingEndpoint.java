package sources.jdbc;

import config.PipelineSpec;
import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.DefaultEndpoint;

import java.nio.file.Path;
import java.util.Map;

/** The endpoint of a pipeline whose source is {@code type: jdbc}: built from the pipeline, not from a URI. */
public class JdbcPollingEndpoint extends DefaultEndpoint {

    private final PipelineSpec spec;
    private final Path stateDir;

    public JdbcPollingEndpoint(CamelContext camel, PipelineSpec spec, Path stateDir) {
        super("jdbc-poll:" + spec.name(), new DefaultComponent(camel) {
            @Override
            protected org.apache.camel.Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
                throw new UnsupportedOperationException("jdbc-poll endpoints are built from a pipeline");
            }
        });
        setCamelContext(camel);
        this.spec = spec;
        this.stateDir = stateDir;
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        JdbcPollingConsumer consumer = new JdbcPollingConsumer(this, processor, spec, stateDir);
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("a polling source has no producer");
    }

    @Override
    public boolean isRemote() {
        return true;
    }
}
