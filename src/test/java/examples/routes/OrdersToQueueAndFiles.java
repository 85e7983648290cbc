package examples.routes;

import blocks.ColumnSelection;
import blocks.RetryPolicy;
import blocks.WhereFilter;
import org.apache.camel.builder.RouteBuilder;

/**
 * A hand-written Java DSL route from Tributary's building blocks: PostgreSQL orders → paid ones only, three columns →
 * RocketMQ, ordered per customer (the ordered producer as an endpoint) → the same batch as JSON-lines part files on HDFS.
 * The batch's offsets are committed only after both sinks acknowledged it.
 * <p>
 * Put the compiled class in a JAR beside tributary.jar and name it in {@code camel.main.routes-include-pattern}, or
 * start it from your own {@code Main}; the building blocks come from {@code blocks.BuildingBlocks.bindTo(registry)}
 * and {@code new RetryPolicy()}.
 */
public class OrdersToQueueAndFiles extends RouteBuilder {

    private final String source;
    private final String namesrv;
    private final String hdfs;
    private final String dataDir;

    /**
     * @param source  the {@code cdc:debezium-postgres} options (database, user, slot, offsets file ...)
     * @param namesrv RocketMQ name server
     * @param hdfs    the file system URI (hdfs://namenode:port)
     */
    public OrdersToQueueAndFiles(String source, String namesrv, String hdfs, String dataDir) {
        this.source = source;
        this.namesrv = namesrv;
        this.hdfs = hdfs;
        this.dataDir = dataDir;
    }

    @Override
    public void configure() {
        WhereFilter paid = new WhereFilter();
        paid.setTables("public.orders");
        paid.setWhere("status = 'paid'");
        ColumnSelection columns = new ColumnSelection();
        columns.setTables("public.orders");
        columns.setColumns("id, customer_id, amount");

        from("cdc:debezium-postgres:java-orders?" + source)
                .routeId("java-orders")
                .routeConfigurationId(RetryPolicy.ID)
                .process("changeEvents")
                .process(paid)
                .process(columns)
                .to("tributary-rocketmq:java-orders?namesrv=" + namesrv + "&topic=java_{table}&shardingColumns=customer_id&format=canal"
                        + "&stateDir=" + dataDir)
                .to("tributary-hdfs:java-orders?uri=" + hdfs + "&path=/java-orders&partition=&rollRecords=50&stateDir=" + dataDir);
    }
}
