package routes;

import formats.DebeziumJsonFormat;
import org.apache.camel.spi.Registry;
import processors.DebeziumNormalizer;
import sinks.kafka.KafkaRecords;

/**
 * The named pieces hand-written routes use (docs/routes.md), besides the {@code cdc:debezium-*} endpoint:
 * <ul>
 *   <li>{@code changeEvents}: processor, batch of Debezium records → {@code List<ChangeEvent>}</li>
 *   <li>{@code debeziumKafkaRecords}: processor, {@code List<ChangeEvent>} → Kafka batch (Debezium JSON, key = primary key)</li>
 * </ul>
 */
public final class BuildingBlocks {

    private BuildingBlocks() {
    }

    public static void bindTo(Registry registry) {
        registry.bind("changeEvents", new DebeziumNormalizer());
        registry.bind("debeziumKafkaRecords", new KafkaRecords(new DebeziumJsonFormat()));
    }
}
