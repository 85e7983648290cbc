package sources.kafka;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.util.PropertiesHelper;

import java.util.Map;

/** {@code tributary-kafka-source:name?brokers=...&topics=...&group=...&format=...}: see {@link KafkaSourceEndpoint}. */
@Component("tributary-kafka-source")
public class KafkaSourceComponent extends DefaultComponent {

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        KafkaSourceEndpoint endpoint = new KafkaSourceEndpoint(uri, this);
        endpoint.setName(remaining);
        endpoint.setClient(PropertiesHelper.extractProperties(parameters, "client."));
        setProperties(endpoint, parameters);
        return endpoint;
    }
}
