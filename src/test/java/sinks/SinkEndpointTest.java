package sinks;

import config.PipelineConfigException;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A sink endpoint's options are its plug-in's keys: read and checked by the plug-in, routing and tuning apart. */
class SinkEndpointTest {

    @Test
    void badOptionsAreNamedByThePluginWithoutTheSecret() throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            SinkEndpoint endpoint = (SinkEndpoint) camel.getEndpoint("tributary-jdbc:copy?url=postgres://db&user=u&password=s3cret&batchSize=0&noPrimaryKey=skip");
            PipelineConfigException e = assertThrows(PipelineConfigException.class, endpoint::createProducer);
            assertEquals(List.of(
                    "jdbc endpoint copy: url: expected a JDBC URL (jdbc:postgresql://..., jdbc:mysql://..., jdbc:mariadb://..., jdbc:sqlserver://...)",
                    "jdbc endpoint copy: noPrimaryKey: 'skip' is not supported (supported: fail, insert)",
                    "jdbc endpoint copy: batchSize: 0 is out of range [1, 100000]"), e.errors());
            assertFalse(String.valueOf(e.getMessage()).contains("s3cret"));
        }
    }

    @Test
    void routingOptionsStayOutOfTheSinkKeysAndTuningGoesToItsOptions() throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            SinkEndpoint endpoint = (SinkEndpoint) camel.getEndpoint(
                    "tributary-rocketmq:orders?namesrv=n:9876&topic=cdc_{table}&shardingColumns=customer_id&sendTimeoutMs=100&trace=true");
            assertEquals(Map.of("namesrv", "n:9876", "trace", true, "options", Map.of("sendTimeoutMs", "100")), endpoint.sinkKeys());
        }
    }
}
