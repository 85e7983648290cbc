package sources.rocketmq;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

import java.util.Map;

/** {@code tributary-rocketmq-source:name?namesrv=...&topics=...&format=...}: see {@link RocketMqSourceEndpoint}. */
@Component("tributary-rocketmq-source")
public class RocketMqSourceComponent extends DefaultComponent {

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        RocketMqSourceEndpoint endpoint = new RocketMqSourceEndpoint(uri, this);
        endpoint.setName(remaining);
        setProperties(endpoint, parameters);
        return endpoint;
    }
}
