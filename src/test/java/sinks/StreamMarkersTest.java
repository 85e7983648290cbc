package sinks;

import formats.FormatSpec;
import formats.Formats;
import model.ChangeEvent;
import model.Op;
import model.SourcePosition;
import model.TableId;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which marker messages a sink sends, where and when. */
class StreamMarkersTest {

    static final TableId ORDERS = new TableId("shop", null, "orders");
    static final TableId ITEMS = new TableId("shop", null, "items");

    static ChangeEvent row(TableId table, Op op, int id) {
        return ChangeEvent.row("p", op, table, null, Map.of("id", id), List.of("id"), Map.of("id", "INT"),
                new SourcePosition("mysql", "f:" + id, op == Op.READ ? null : "tx", 1, Instant.ofEpochSecond(1_764_800_000L + id), op == Op.READ));
    }

    @Test
    void maxwellStartsEachTablesSnapshotOnceAndCompletesThemAllAtItsEnd() throws Exception {
        List<String> sent = new CopyOnWriteArrayList<>();
        StreamMarkers markers = new StreamMarkers(Formats.byName("maxwell"), t -> "topic-" + t.table(), List.of(),
                (topic, key, value) -> sent.add(topic + " " + new String(key, StandardCharsets.UTF_8) + " " + new String(value, StandardCharsets.UTF_8)));
        markers.beforeDelivery(List.of(row(ORDERS, Op.READ, 1), row(ORDERS, Op.READ, 2)));
        markers.beforeDelivery(List.of(row(ORDERS, Op.READ, 3), row(ITEMS, Op.READ, 4)));
        assertEquals(List.of(
                "topic-orders shop.orders {\"database\":\"shop\",\"table\":\"orders\",\"type\":\"bootstrap-start\",\"ts\":1764800001,\"data\":{}}",
                "topic-items shop.items {\"database\":\"shop\",\"table\":\"items\",\"type\":\"bootstrap-start\",\"ts\":1764800004,\"data\":{}}"), sent);
        markers.delivered(List.of(row(ITEMS, Op.READ, 4)));
        sent.clear();
        markers.snapshotEnded();
        assertEquals(List.of(
                "topic-orders shop.orders {\"database\":\"shop\",\"table\":\"orders\",\"type\":\"bootstrap-complete\",\"ts\":1764800004,\"data\":{}}",
                "topic-items shop.items {\"database\":\"shop\",\"table\":\"items\",\"type\":\"bootstrap-complete\",\"ts\":1764800004,\"data\":{}}"), sent);
        sent.clear();
        markers.beforeDelivery(List.of(row(ORDERS, Op.CREATE, 5)));
        assertEquals(List.of(), sent, "streamed changes have no markers");
        assertFalse(StreamMarkers.wanted(Formats.byName("canal"), 1000), "canal has no markers of any kind");
    }

    @Test
    void omsHeartbeatsGoToEveryKnownTopicOnlyWhileNothingIsSent() throws Exception {
        List<String> sent = new CopyOnWriteArrayList<>();
        var format = Formats.create(new FormatSpec("oms-default", false, "ERP01", false, true, false, false, 300));
        assertTrue(StreamMarkers.wanted(format, 300));
        try (StreamMarkers markers = new StreamMarkers(format, t -> "topic-" + t.table(), List.of("literal"),
                (topic, key, value) -> sent.add(topic + " " + new String(value, StandardCharsets.UTF_8)))) {
            markers.beforeDelivery(List.of(row(ORDERS, Op.CREATE, 7)));
            markers.delivered(List.of(row(ORDERS, Op.CREATE, 7)));
            markers.startHeartbeats("p", 300);
            await().atMost(Duration.ofSeconds(5)).until(() -> sent.size() >= 2);
            assertTrue(sent.get(0).startsWith("literal {\"prevStruct\":null,\"postStruct\":null,\"allMetaData\":{\"checkpoint\":\"1764800007\""), sent.get(0));
            assertTrue(sent.get(0).contains("\"businessSystemId\":\"ERP01\"") && sent.get(0).endsWith("\"recordType\":\"HEARTBEAT\"}"), sent.get(0));
            assertTrue(sent.stream().anyMatch(s -> s.startsWith("topic-orders ")), "the topics written to get heartbeats too: " + sent);
        }
    }
}
