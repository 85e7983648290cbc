package sinks.hdfs;

import org.apache.camel.spi.annotations.Component;
import sinks.SinkComponent;

/** {@code tributary-hdfs:name?...}: see {@link HdfsSinkEndpoint}. */
@Component("tributary-hdfs")
public class HdfsSinkComponent extends SinkComponent {

    public HdfsSinkComponent() {
        super(HdfsSinkEndpoint::new);
    }
}
