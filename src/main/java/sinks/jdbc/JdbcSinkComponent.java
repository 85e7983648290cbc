package sinks.jdbc;

import org.apache.camel.spi.annotations.Component;
import sinks.SinkComponent;

/** {@code tributary-jdbc:name?...}: see {@link JdbcSinkEndpoint}. */
@Component("tributary-jdbc")
public class JdbcSinkComponent extends SinkComponent {

    public JdbcSinkComponent() {
        super(JdbcSinkEndpoint::new);
    }
}
