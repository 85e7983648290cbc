package blocks;

import formats.DebeziumJsonFormat;
import formats.Formats;
import org.apache.camel.spi.Registry;
import processors.DebeziumNormalizer;
import sinks.kafka.KafkaRecords;

/**
 * The named pieces hand-written routes use (docs/routes.md), besides the endpoints ({@code cdc:}, {@code tributary-jdbc:},
 * {@code tributary-rocketmq:}, {@code tributary-hdfs:}) and the bean classes of this package:
 * <ul>
 *   <li>{@code changeEvents}: processor, batch of Debezium records → {@code List<ChangeEvent>}</li>
 *   <li>{@code debeziumKafkaRecords}: processor, {@code List<ChangeEvent>} → Kafka batch (Debezium JSON, key = primary key)</li>
 *   <li>{@code tableBatches}: splitter, a batch → one batch per table with the table in headers</li>
 *   <li>{@code transactionEnds}: processor, marks the last change of each source transaction in a batch (Maxwell's
 *       {@code "commit": true})</li>
 *   <li>{@code debezium}, {@code canal}, {@code maxwell}, {@code oms-default}, {@code oms-extend}, {@code dataworks}, {@code shareplex}, {@code json-row}:
 *       data formats ({@code marshal: {custom: canal}})</li>
 * </ul>
 * and the route configuration {@value RetryPolicy#ID} ({@link RetryPolicy}).
 */
public final class BuildingBlocks {

    private BuildingBlocks() {
    }

    public static void bindTo(Registry registry) {
        registry.bind("changeEvents", new DebeziumNormalizer());
        registry.bind("debeziumKafkaRecords", new KafkaRecords(new DebeziumJsonFormat()));
        registry.bind("tableBatches", new TableBatches());
        registry.bind("transactionEnds", new processors.TransactionEnds());
        for (String format : Formats.names()) {
            registry.bind(format, new ChangeEventDataFormat(format));
        }
    }
}
