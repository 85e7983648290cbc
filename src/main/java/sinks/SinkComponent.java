package sinks;

import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

import java.util.Map;
import java.util.function.BiFunction;

/** The component of a {@link SinkEndpoint}: {@code scheme:name?options}, the options set on the endpoint. */
public abstract class SinkComponent extends DefaultComponent {

    private final BiFunction<String, SinkComponent, SinkEndpoint> endpoints;

    protected SinkComponent(BiFunction<String, SinkComponent, SinkEndpoint> endpoints) {
        this.endpoints = endpoints;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        SinkEndpoint endpoint = endpoints.apply(uri, this);
        endpoint.setName(remaining);
        Map<String, Object> options = org.apache.camel.util.PropertiesHelper.extractProperties(parameters, "option.");
        if (!options.isEmpty()) {
            endpoint.setOptions(options);
        }
        setProperties(endpoint, parameters);
        return endpoint;
    }
}
