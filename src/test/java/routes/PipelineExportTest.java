package routes;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sources.CdcEndpoint;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The exported route is valid Camel YAML whose endpoints are configured as the pipeline's are (no server needed). */
class PipelineExportTest {

    @TempDir
    Path dir;

    @Test
    void postgresToRocketMqLoadsWithThePipelinesOptionsAndNoSecret() throws Exception {
        Path file = dir.resolve("orders.yaml");
        Files.writeString(file, """
                pipeline: orders
                source: {type: postgres, host: localhost, port: 5432, database: shop, user: cdc, password: s3cret-pw}
                objects:
                  - table: public.orders
                    topic: orders-canal
                    shardingColumns: [customer_id]
                    where: "status <> 'cancelled'"
                    columns: [id, customer_id, status]
                  - table: public.order_*
                    topic: "items-{table}"
                format: canal
                sink: {type: rocketmq, namesrv: "127.0.0.1:9876", options: {sendTimeoutMs: 7000}}
                dedup: {window: 1m}
                errors: {retries: 3, retryDelayMs: 200}
                """);
        String yaml = PipelineExport.export(file, dir.resolve("data"));
        assertFalse(yaml.contains("s3cret-pw"), yaml);
        assertTrue(yaml.contains("{{orders.source.password}}"), yaml);

        try (CamelContext camel = new DefaultCamelContext()) {
            Properties p = new Properties();
            p.setProperty("orders.source.password", "from-properties");
            camel.getPropertiesComponent().setInitialProperties(p);
            camel.setAutoStartup(false);
            blocks.BuildingBlocks.bindTo(camel.getRegistry());
            PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.fromString("orders.camel.yaml", yaml));
            camel.start();
            CdcEndpoint cdc = null;
            for (Endpoint e : camel.getEndpoints()) {
                if (e instanceof CdcEndpoint c) {
                    cdc = c;
                }
            }
            assertTrue(cdc != null, "the cdc: endpoint: " + camel.getEndpoints());
            Properties engine = cdc.debeziumConfiguration().createDebeziumConfiguration().asProperties();
            assertEquals("public\\.orders,public\\.order_.*", engine.getProperty("table.include.list"));
            assertEquals("from-properties", engine.getProperty("database.password"));
            assertEquals(".*", engine.getProperty("column.propagate.source.type"));
            assertEquals("initial", engine.getProperty("snapshot.mode"));
            assertTrue(cdc.getSnapshotLedger() != null, "the ledger is the route's bean");
            assertEquals("debezium-postgres", cdc.getConnector());
            assertEquals("orders", cdc.getName());
            assertEquals(1, camel.getRoutes().size());
            assertEquals("orders-retries", camel.getRoutes().get(0).getConfigurationId());
        }
    }

    @Test
    void mariaDbAndSqlServerPipelinesExportToRoutesOnTheirOwnConnectors() throws Exception {
        Map<String, String> sources = Map.of(
                "maria", "{type: mariadb, host: 127.0.0.1, port: 3306, user: cdc, password: pw}\nobjects: [{table: shop.orders}]",
                "mssql", "{type: sqlserver, host: 127.0.0.1, port: 1433, database: shop, user: sa, password: pw}\nobjects: [{table: dbo.orders}]");
        Map<String, String> connectors = Map.of("maria", "debezium-mysql", "mssql", "debezium-sqlserver");
        for (Map.Entry<String, String> source : sources.entrySet()) {
            String name = source.getKey();
            Path file = dir.resolve(name + ".yaml");
            Files.writeString(file, "pipeline: " + name + "\nsource: " + source.getValue()
                    + "\nformat: canal\nsink: {type: kafka, brokers: \"localhost:9092\"}\n");
            String yaml = PipelineExport.export(file, dir.resolve("data"));
            assertFalse(yaml.contains("password: pw") || yaml.contains("Password=pw"), yaml);
            assertEquals(name.equals("maria"), yaml.contains("followRenames"), name + ": a binlog source follows renames: " + yaml);
            try (CamelContext camel = loaded(name, yaml)) {
                CdcEndpoint cdc = camel.getEndpoints().stream().filter(CdcEndpoint.class::isInstance).map(CdcEndpoint.class::cast)
                        .findFirst().orElseThrow();
                assertEquals(connectors.get(name), cdc.getConnector());
                Properties engine = cdc.debeziumConfiguration().createDebeziumConfiguration().asProperties();
                assertEquals("pw", engine.getProperty("database.password"));
                assertEquals("initial", engine.getProperty("snapshot.mode"));
                // a binlog source reads every table of the objects' databases (renames reach it) and snapshots the selected ones
                String selected = engine.getProperty(name.equals("maria") ? "snapshot.include.collection.list" : "table.include.list");
                assertTrue(selected != null && selected.contains("orders"), engine.toString());
            }
        }
    }

    @Test
    void whatARouteCannotExpressIsRefusedNamingTheKey() throws Exception {
        Path file = dir.resolve("polled-two-ways.yaml");
        Files.writeString(file, """
                pipeline: polled
                source: {type: jdbc, url: "jdbc:postgresql://localhost/shop", user: cdc, password: pw}
                objects:
                  - {table: public.orders, pollMode: incrementing, incrementingColumn: id}
                  - {table: public.items, pollMode: timestamp, timestampColumn: changed_at}
                sink: {type: kafka, brokers: "localhost:9092"}
                """);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int exit = app.Tributary.run(new String[]{"routes", "export", file.toString()}, new java.io.PrintStream(out), new java.io.PrintStream(err));
        assertEquals(2, exit);
        assertEquals("", out.toString());
        assertTrue(err.toString().contains("objects: the tables are polled in different ways"), err.toString());

        err.reset();
        assertEquals(2, app.Tributary.run(new String[]{"routes", "import", file.toString()}, new java.io.PrintStream(out), new java.io.PrintStream(err)));
        assertTrue(err.toString().contains("usage: java -jar tributary.jar routes export FILE"), err.toString());
    }

    /** The parallel snapshot, the schema publication and objectsCsv: a snapshot bean the endpoint configures from its own options, the CSV's rows as objects. */
    @Test
    void aParallelSnapshotAndCsvObjectsExport() throws Exception {
        Files.writeString(dir.resolve("objects.csv"), "table,destination,where,columns\npublic.items,items-topic,qty > 0,id qty\n");
        Path file = dir.resolve("par.yaml");
        Files.writeString(file, """
                pipeline: par
                source: {type: postgres, host: localhost, database: shop, user: cdc, password: pw, publicationScope: schemas}
                objects: [{table: public.orders}]
                objectsCsv: objects.csv
                snapshot: {threads: 3, chunkRows: 5000}
                sink: {type: kafka, brokers: "localhost:9092"}
                """);
        String yaml = PipelineExport.export(file, dir.resolve("data"));
        String objects = yaml.substring(yaml.indexOf("objects: |"), yaml.indexOf("keepDdl"));
        assertTrue(objects.contains("table: public.items") && objects.contains("topic: items-topic") && objects.contains("where: qty > 0"), objects);
        try (CamelContext camel = loaded("par", yaml)) {
            CdcEndpoint cdc = camel.getEndpoints().stream().filter(CdcEndpoint.class::isInstance).map(CdcEndpoint.class::cast).findFirst().orElseThrow();
            sources.postgres.PostgresParallelSnapshot snapshot = (sources.postgres.PostgresParallelSnapshot) cdc.getParallelSnapshot();
            Properties engine = cdc.debeziumConfiguration().createDebeziumConfiguration().asProperties();
            snapshot.configure(engine);
            assertTrue(snapshot.needed(), "no marker yet under " + dir.resolve("data"));
            assertEquals(3, snapshot.progress().get("threads"));
            assertEquals("public\\.orders,public\\.items", engine.getProperty("table.include.list"));
            // publicationScope schemas: the publication made before the engine starts, which then creates none
            assertEquals("public", ((sources.postgres.SchemaPublication) cdc.getStartCheck()).getSchemas());
            assertEquals("disabled", engine.getProperty("publication.autocreate.mode"));
        }
    }

    /** A binlog source in mode incremental keeps its start: where it begins (BinlogStart), and startTimestamp's filter. */
    @Test
    void aBinlogStartAndStartTimestampExport() throws Exception {
        Path file = dir.resolve("ts.yaml");
        Files.writeString(file, """
                pipeline: ts
                source: {type: mariadb, host: 127.0.0.1, user: cdc, password: pw}
                objects: [{table: shop.orders}]
                mode: incremental
                startTimestamp: "2026-11-22T08:00:00Z"
                sink: {type: kafka, brokers: "localhost:9092"}
                """);
        String yaml = PipelineExport.export(file, dir.resolve("data"));
        try (CamelContext camel = loaded("ts", yaml)) {
            CdcEndpoint cdc = camel.getEndpoints().stream().filter(CdcEndpoint.class::isInstance).map(CdcEndpoint.class::cast).findFirst().orElseThrow();
            sources.binlog.BinlogStart start = (sources.binlog.BinlogStart) cdc.getStartCheck();
            assertEquals("2026-11-22T08:00:00Z", start.getStartTimestamp());
            Properties engine = cdc.debeziumConfiguration().createDebeziumConfiguration().asProperties();
            // what BinlogStart reads from the engine: the MariaDB flavour (GTIDs) and the replica id of the pipeline
            assertEquals("io.debezium.connector.mariadb.MariaDbConnector", engine.getProperty("connector.class"));
            assertEquals("no_data", engine.getProperty("snapshot.mode"));
            assertTrue(engine.getProperty("database.server.id") != null, engine.toString());
            processors.CommitTimeFilter filter = camel.getRegistry().lookupByNameAndType("ts-start-at", processors.CommitTimeFilter.class);
            assertEquals("2026-11-22T08:00:00Z", filter.getStartTimestamp());
            assertTrue(yaml.indexOf("ref: ts-start-at") > yaml.indexOf("ref: ts-objects"), "after select, as in a pipeline: " + yaml);
        }
        Files.writeString(file, Files.readString(file).replace("startTimestamp: \"2026-11-22T08:00:00Z\"\n", ""));
        String now = PipelineExport.export(file, dir.resolve("data"));
        assertTrue(now.contains("type: sources.binlog.BinlogStart") && !now.contains("startTimestamp") && !now.contains("CommitTimeFilter"), now);
    }

    private CamelContext loaded(String name, String yaml, String... secretKeys) throws Exception {
        CamelContext camel = new DefaultCamelContext();
        Properties p = new Properties();
        p.setProperty(name + ".source.password", "pw");
        for (String key : secretKeys) {
            p.setProperty(name + "." + key, "given");
        }
        camel.getPropertiesComponent().setInitialProperties(p);
        camel.setAutoStartup(false);
        blocks.BuildingBlocks.bindTo(camel.getRegistry());
        PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.fromString(name + ".camel.yaml", yaml));
        camel.start();
        return camel;
    }

    @Test
    void theJdbcPollingSourceExportsItsEndpointAndLeavesItsTableKeysThere() throws Exception {
        Path file = dir.resolve("polled.yaml");
        Files.writeString(file, """
                pipeline: polled
                source: {type: jdbc, url: "jdbc:postgresql://localhost/shop", user: cdc, password: "${env:SHOP_PW}"}
                objects:
                  - {table: public.orders, pollMode: incrementing, incrementingColumn: id, where: "amount > 10"}
                sink: {type: jdbc, url: "jdbc:postgresql://localhost/copy", user: w, password: "${env:COPY_PW}"}
                """);
        String yaml = PipelineExport.export(file, dir.resolve("data"));
        assertTrue(yaml.contains("uri: tributary-jdbc-poll:polled"), yaml);
        assertTrue(yaml.contains("password: \"{{env:SHOP_PW}}\""), yaml);
        assertTrue(yaml.contains("password: \"{{env:COPY_PW}}\""), yaml);
        assertTrue(yaml.contains("pollMode: incrementing"), yaml);
        assertFalse(yaml.contains("snapshot-ledger"), "a polled source is never retaken: " + yaml);
        String objects = yaml.substring(yaml.indexOf("objects: |"), yaml.indexOf("keepDdl"));
        assertFalse(objects.contains("pollMode"), objects);
        assertTrue(objects.contains("where: amount > 10"), objects);
    }

    @Test
    void queueSourcesExportTheirEndpointsWithTheirOptionsAndNoSecret() throws Exception {
        Path kafka = dir.resolve("from-kafka.yaml");
        Files.writeString(kafka, """
                pipeline: from-kafka
                source: {type: kafka, brokers: "k1:9092", topicPattern: "shop\\\\..*", group: loaders, format: canal,
                         options: {security.protocol: SASL_SSL, sasl.jaas.config: "jaas-s3cret"}}
                mode: incremental
                objects: [{table: shop.orders, target: orders}]
                sink: {type: jdbc, url: "jdbc:postgresql://localhost/copy", user: w, password: pw}
                batch: {maxEvents: 700}
                """);
        String yaml = PipelineExport.export(kafka, dir.resolve("data"));
        assertFalse(yaml.contains("jaas-s3cret"), yaml);
        try (CamelContext camel = loaded("from-kafka", yaml, "source.options.sasl.jaas.config", "sink.password")) {
            sources.kafka.KafkaSourceEndpoint source = camel.getEndpoints().stream().filter(sources.kafka.KafkaSourceEndpoint.class::isInstance)
                    .map(sources.kafka.KafkaSourceEndpoint.class::cast).findFirst().orElseThrow();
            assertEquals("k1:9092", source.getBrokers());
            assertEquals("shop\\..*", source.getTopicPattern());
            assertEquals("loaders", source.getGroup());
            assertEquals("canal", source.getFormat());
            assertEquals("incremental", source.getMode());
            assertEquals(700, source.getMaxEvents());
            assertEquals("SASL_SSL", source.getClient().get("security.protocol"));
            assertEquals("given", source.getClient().get("sasl.jaas.config"));
        }

        Path rocketmq = dir.resolve("from-rocketmq.yaml");
        Files.writeString(rocketmq, """
                pipeline: from-rocketmq
                source: {type: rocketmq, namesrv: "ns:9876", topics: [a, b], consumerGroup: g1, format: oms-default,
                         accessKey: ak, secretKey: sk-s3cret}
                objects: [{table: shop.orders}]
                sink: {type: jdbc, url: "jdbc:postgresql://localhost/copy", user: w, password: pw}
                """);
        yaml = PipelineExport.export(rocketmq, dir.resolve("data"));
        assertFalse(yaml.contains("sk-s3cret"), yaml);
        try (CamelContext camel = loaded("from-rocketmq", yaml, "source.secretKey", "sink.password")) {
            sources.rocketmq.RocketMqSourceEndpoint source = camel.getEndpoints().stream()
                    .filter(sources.rocketmq.RocketMqSourceEndpoint.class::isInstance).map(sources.rocketmq.RocketMqSourceEndpoint.class::cast)
                    .findFirst().orElseThrow();
            assertEquals("ns:9876", source.getNamesrv());
            assertEquals("a,b", source.getTopics());
            assertEquals("g1", source.getConsumerGroup());
            assertEquals("oms-default", source.getFormat());
            assertEquals("ak", source.getAccessKey());
            assertEquals("given", source.getSecretKey());
        }
    }
}
