package sinks.rocketmq;

import org.apache.camel.spi.annotations.Component;
import sinks.SinkComponent;

/** {@code tributary-rocketmq:name?...}: see {@link RocketMqSinkEndpoint}. */
@Component("tributary-rocketmq")
public class RocketMqSinkComponent extends SinkComponent {

    public RocketMqSinkComponent() {
        super(RocketMqSinkEndpoint::new);
    }
}
