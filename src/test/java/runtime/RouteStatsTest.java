package runtime;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RouteStatsTest {

    @Test
    void secretsInEndpointUrisAreMasked() {
        assertEquals("kafka:p?brokers=k:9092&additionalProperties.sasl.jaas.config=******&saslMechanism=PLAIN",
                RouteStats.mask("kafka:p?brokers=k:9092&additionalProperties.sasl.jaas.config=org...password=\"x\"&saslMechanism=PLAIN"));
        assertEquals("cdc:debezium-postgres:p?databaseUser=cdc&databasePassword=******&x=1",
                RouteStats.mask("cdc:debezium-postgres:p?databaseUser=cdc&databasePassword=#bean:tributary.p.source.password&x=1"));
        assertEquals("jdbc:x?secretKey=******", RouteStats.mask("jdbc:x?secretKey=abc"));
    }
}
