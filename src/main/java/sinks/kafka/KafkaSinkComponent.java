package sinks.kafka;

import org.apache.camel.spi.annotations.Component;
import sinks.SinkComponent;

/** {@code tributary-kafka:name?...}: see {@link KafkaSinkEndpoint}. */
@Component("tributary-kafka")
public class KafkaSinkComponent extends SinkComponent {

    public KafkaSinkComponent() {
        super(KafkaSinkEndpoint::new);
    }
}
