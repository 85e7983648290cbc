package sources.jdbc;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

import java.util.Map;

/** {@code tributary-jdbc-poll:name?url=...&tables=...}: see {@link JdbcPollingEndpoint}. */
@Component("tributary-jdbc-poll")
public class JdbcPollingComponent extends DefaultComponent {

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        JdbcPollingEndpoint endpoint = new JdbcPollingEndpoint(uri, this);
        endpoint.setName(remaining);
        setProperties(endpoint, parameters);
        return endpoint;
    }
}
