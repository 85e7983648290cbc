package sinks.rocketmq;

import config.PipelineLoader;
import config.PipelineSpec;
import formats.DebeziumJsonFormat;
import model.ChangeEvent;
import model.Op;
import model.SourcePosition;
import model.TableId;
import org.junit.jupiter.api.Test;
import counters.PipelineCounters;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The queue choice consumers must be able to reproduce, and the ACL wiring. */
class RocketMqSinkTest {

    static final TableId ORDERS = new TableId("shop", "public", "orders");

    static RocketMqSinkConfig spec() {
        return new PipelineLoader(Map.of("SK", "secret")::get).parse("p.yaml", """
                pipeline: p
                source: {type: postgres, host: h, database: d, user: u, password: p}
                objects: [{table: public.orders, topic: orders}]
                sink: {type: rocketmq, namesrv: "n:9876", accessKey: ak, secretKey: "${env:SK}"}
                """).sink().config(RocketMqSinkConfig.class);
    }

    static ChangeEvent order(int id, int customer) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("customer_id", customer);
        return ChangeEvent.row("p", Op.UPDATE, ORDERS, null, row, List.of("id"), Map.of(),
                new SourcePosition("postgresql", "1", "1", 1, Instant.EPOCH, false));
    }

    RocketMqSink sink(List<String> shardingColumns) {
        return new RocketMqSink(spec(), new DebeziumJsonFormat(), t -> "orders", new processors.ShardKeys(t -> shardingColumns), List.of(), new PipelineCounters());
    }

    @Test
    void theShardKeyIsThePrimaryKeyJsonByDefault() {
        assertEquals("{\"id\":42}", sink(List.of()).shardKey(order(42, 7)));
        // documented: queue = floorMod(shardKey.hashCode(), queueCount), Java's String.hashCode
        assertEquals(Math.floorMod("{\"id\":42}".hashCode(), 8), Math.floorMod(sink(List.of()).shardKey(order(42, 7)).hashCode(), 8));
    }

    @Test
    void shardingColumnsKeepACustomersOrdersOnOneQueue() {
        RocketMqSink byCustomer = sink(List.of("customer_id"));
        assertEquals("{\"customer_id\":7}", byCustomer.shardKey(order(1, 7)));
        assertEquals(byCustomer.shardKey(order(1, 7)), byCustomer.shardKey(order(2, 7)));
    }

    @Test
    void aclKeysReachTheProducersHook() {
        var credentials = RocketMqSink.aclHook(spec()).getSessionCredentials();
        assertEquals("ak", credentials.getAccessKey());
        assertEquals("secret", credentials.getSecretKey());
    }
}
