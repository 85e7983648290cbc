package sinks.kafka;

import formats.DebeziumJsonFormat;
import model.ChangeEvent;
import model.Op;
import model.SourcePosition;
import model.TableId;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class KafkaRecordsTest {

    static final TableId ORDERS = new TableId("shop", null, "orders");
    static final TableId LINES = new TableId("shop", null, "lines");

    static String header(ProducerRecord<byte[], byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    @Test
    void headersCarryTheIdAndThePipelineOfEachRecord() {
        KafkaRecords records = new KafkaRecords(new DebeziumJsonFormat());
        SourcePosition snapshot = new SourcePosition("mariadb", "bin.000002:4:0", null, 0, Instant.EPOCH, true);
        SourcePosition streamed = new SourcePosition("mariadb", "bin.000002:900:1", "7", 1, Instant.EPOCH, false);
        List<ChangeEvent> events = List.of(
                ChangeEvent.row("p", Op.READ, ORDERS, null, Map.of("id", 1, "v", "a"), List.of("id"), Map.of(), snapshot),
                ChangeEvent.row("p", Op.READ, ORDERS, null, Map.of("id", 2, "v", "ü"), List.of("id", "v"), Map.of(), snapshot),
                ChangeEvent.row("p", Op.READ, LINES, null, Map.of("id", 1), List.of("id"), Map.of(), snapshot),
                ChangeEvent.row("q", Op.CREATE, LINES, null, Map.of("id", 3), List.of("id"), Map.of(), streamed),
                ChangeEvent.row("q", Op.READ, ORDERS, null, Map.of("id", 4), List.of(), Map.of(), snapshot));
        for (ChangeEvent e : events) {
            ProducerRecord<byte[], byte[]> r = records.record(e, "t");
            assertEquals(e.id(), header(r, KafkaRecords.ID_HEADER));
            assertEquals(e.pipeline(), header(r, KafkaRecords.PIPELINE_HEADER));
        }
        assertEquals("mariadb:shop.orders:bin.000002:4:0:[2, ü]", header(records.record(events.get(1), "t"), KafkaRecords.ID_HEADER));
        assertEquals("mariadb:shop.lines:bin.000002:4:0:[1]", header(records.record(events.get(2), "t"), KafkaRecords.ID_HEADER));
        assertEquals("mariadb:shop.orders:bin.000002:4:0:[]", header(records.record(events.get(4), "t"), KafkaRecords.ID_HEADER));
    }
}
