package blocks;

import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;

/**
 * The retry policy of pipelines as a Camel route configuration, for any route to use by id
 * ({@code routeConfigurationId: tributary-retries}): a failed batch is retried in place with exponential backoff
 * (1 s doubling up to 60 s, 10 times); after the last attempt the exception stays on the exchange, so a Tributary source
 * stops without committing and nothing is skipped. Pipelines apply the same policy with their own {@code errors:} values.
 */
public class RetryPolicy extends RouteConfigurationBuilder {

    public static final String ID = "tributary-retries";

    @Override
    public void configuration() {
        routeConfiguration(ID).errorHandler(defaultErrorHandler()
                .maximumRedeliveries(10)
                .redeliveryDelay(1000)
                .useExponentialBackOff().backOffMultiplier(2)
                .maximumRedeliveryDelay(60_000)
                .retryAttemptedLogLevel(LoggingLevel.WARN)
                .logExhausted(true));
    }
}
