package routes;

import config.PipelineLoader;
import config.PipelineSpec;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import sources.CdcEndpoint;
import sources.DebeziumSourceFactory;
import sources.SourceFactory;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The exact Debezium properties each source type builds (no server needed): what a user of SQL Server or OceanBase
 * gets, where no such server can run here.
 */
class SourceConfigTest {

    static Properties debeziumProperties(String yaml) throws Exception {
        PipelineSpec spec = new PipelineLoader(Map.of("PW", "pa55-w0rd")::get).parse("p.yaml", yaml);
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            DebeziumSourceFactory source = (DebeziumSourceFactory) SourceFactory.of(spec.source().type());
            String uri = source.endpointUri(camel, spec, Path.of("/data").resolve(spec.name()), null, 1);
            assertFalse(uri.contains("pa55-w0rd"), "the password never enters the endpoint URI");
            CdcEndpoint endpoint = (CdcEndpoint) camel.getEndpoint(uri);
            return endpoint.debeziumConfiguration().createDebeziumConfiguration().asProperties();
        }
    }

    static void assertProperties(Map<String, String> expected, Properties actual) {
        expected.forEach((k, v) -> assertEquals(v, actual.getProperty(k), k));
    }

    /** Batches overlap unless the pipeline has dedup or turns it off ({@code batch.overlap: false}). */
    @Test
    void batchesOverlapWithoutDedupUnlessTurnedOff() throws Exception {
        String pipeline = """
                pipeline: pg-orders
                source: {type: postgres, host: pg, database: shop, user: cdc, password: "${env:PW}"}
                objects: [{table: public.orders}]
                sink: {type: kafka, brokers: "k:9092"}
                """;
        assertEquals(true, endpoint(pipeline).isOverlapBatches());
        assertEquals(false, endpoint(pipeline + "batch: {overlap: false}\n").isOverlapBatches());
        assertEquals(false, endpoint(pipeline + "dedup: {repository: memory}\n").isOverlapBatches());
    }

    private static CdcEndpoint endpoint(String yaml) throws Exception {
        PipelineSpec spec = new PipelineLoader(Map.of("PW", "pa55-w0rd")::get).parse("p.yaml", yaml);
        DefaultCamelContext camel = new DefaultCamelContext();
        DebeziumSourceFactory source = (DebeziumSourceFactory) SourceFactory.of(spec.source().type());
        return (CdcEndpoint) camel.getEndpoint(source.endpointUri(camel, spec, Path.of("/data").resolve(spec.name()), null, 1));
    }

    @Test
    void sqlServer() throws Exception {
        Properties p = debeziumProperties("""
                pipeline: mssql-orders
                source: {type: sqlserver, host: mssql, database: shop, user: cdc, password: "${env:PW}"}
                mode: full-and-incremental
                objects: [{table: dbo.orders}, {table: sales.order_*}]
                sink: {type: kafka, brokers: "k:9092"}
                """);
        assertProperties(Map.ofEntries(
                Map.entry("connector.class", "io.debezium.connector.sqlserver.SqlServerConnector"),
                Map.entry("database.hostname", "mssql"),
                Map.entry("database.port", "1433"),
                Map.entry("database.user", "cdc"),
                Map.entry("database.password", "pa55-w0rd"),
                Map.entry("database.names", "shop"),
                Map.entry("topic.prefix", "mssql-orders"),
                Map.entry("table.include.list", "dbo\\.orders,sales\\.order_.*"),
                Map.entry("snapshot.mode", "initial"),
                Map.entry("schema.history.internal", "sources.AtomicFileSchemaHistory"),
                Map.entry("schema.history.internal.file.filename", "/data/mssql-orders/schema-history.dat"),
                Map.entry("offset.storage.file.filename", "/data/mssql-orders/offsets.dat"),
                Map.entry("column.propagate.source.type", ".*")), p);
    }

    @Test
    void oceanBaseThroughItsBinlogService() throws Exception {
        Properties p = debeziumProperties("""
                pipeline: ob-orders
                source: {type: oceanbase, host: obproxy, tenant: shop_tenant, cluster: ob1, user: cdc, password: "${env:PW}", serverId: 4242}
                mode: incremental
                objects: [{table: shop.orders}, {table: shop.order_*}]
                sink: {type: kafka, brokers: "k:9092"}
                """);
        assertProperties(Map.ofEntries(
                Map.entry("connector.class", "io.debezium.connector.mysql.MySqlConnector"),
                Map.entry("database.hostname", "obproxy"),
                Map.entry("database.port", "2883"),
                Map.entry("database.user", "cdc@shop_tenant#ob1"),
                Map.entry("database.server.id", "4242"),
                Map.entry("database.include.list", "shop"),
                Map.entry("table.include.list", "shop\\..*"), // every table of the database: renames away are seen
                Map.entry("snapshot.include.collection.list", "shop\\.orders,shop\\.order_.*"),
                Map.entry("snapshot.mode", "no_data"),
                Map.entry("snapshot.locking.mode", "none"),
                Map.entry("database.ssl.mode", "disabled"),
                Map.entry("schema.history.internal", "sources.AtomicFileSchemaHistory"),
                Map.entry("schema.history.internal.file.filename", "/data/ob-orders/schema-history.dat")), p);
    }

    @Test
    void mariaDbUsesTheNativeConnector() throws Exception {
        Properties p = debeziumProperties("""
                pipeline: maria
                source: {type: mariadb, host: db, user: cdc, password: "${env:PW}"}
                mode: full
                objects: [{table: shop.orders}]
                batch: {maxEvents: 500, maxWaitMs: 20}
                sink: {type: kafka, brokers: "k:9092"}
                """);
        assertProperties(Map.ofEntries(
                Map.entry("connector.class", "io.debezium.connector.mariadb.MariaDbConnector"),
                Map.entry("database.port", "3306"),
                Map.entry("database.ssl.mode", "disable"),
                Map.entry("sourceinfo.struct.maker", "io.debezium.connector.mariadb.MariaDbSourceInfoStructMaker"),
                Map.entry("snapshot.mode", "initial_only"),
                Map.entry("max.batch.size", "500"),
                Map.entry("max.queue.size", "8192"),
                Map.entry("poll.interval.ms", "20")), p);
    }
}
