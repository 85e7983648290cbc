package config;

import config.PipelineSpec.Mode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PipelineLoaderTest {

    static final String GOOD = """
            pipeline: orders-to-kafka
            source: {type: postgres, host: db, database: shop, user: cdc, password: "${env:SHOP_PW}"}
            objects:
              - table: public.orders
                topic: orders
              - table: public.order_*
            sink: {type: kafka, brokers: "k1:9092,k2:9092", options: {compressionCodec: lz4}}
            """;

    final PipelineLoader loader = new PipelineLoader(Map.of("SHOP_PW", "pä$$w0rd")::get);

    List<String> errors(String yaml) {
        return assertThrows(PipelineConfigException.class, () -> loader.parse("p.yaml", yaml)).errors();
    }

    @Test
    void readsAPipelineWithDefaults() {
        PipelineSpec spec = loader.parse("p.yaml", GOOD);
        assertEquals("orders-to-kafka", spec.name());
        assertEquals(5432, spec.source().config(sources.postgres.PostgresSourceConfig.class).port());
        assertEquals("pä$$w0rd", spec.source().config(sources.postgres.PostgresSourceConfig.class).password(), "${env:...} resolved");
        assertEquals("tributary_orders_to_kafka", spec.source().config(sources.postgres.PostgresSourceConfig.class).slot());
        assertEquals(Mode.FULL_AND_INCREMENTAL, spec.mode());
        assertEquals("debezium", spec.format().type());
        assertEquals("orders", spec.objects().get(0).topicFor("public", "orders"));
        assertEquals("orders-to-kafka.public.order_items", spec.objects().get(1).topicFor("public", "order_items"));
        assertTrue(spec.objects().get(1).matches("public", "order_items"));
        assertFalse(spec.objects().get(1).matches("public", "orders"));
        assertEquals(Map.of("compressionCodec", "lz4"), spec.sink().options());
        assertEquals(10, spec.errors().retries());
        assertFalse(spec.source().config().toString().contains("pä$$w0rd"), "toString masks the password");
        assertEquals(new PipelineSpec.BatchPolicy(2048, 5), spec.batch());
    }

    @Test
    void formatByNameOrWithOptions() {
        assertEquals(formats.FormatSpec.of("canal"), loader.parse("p.yaml", GOOD + "format: canal\n").format());
        assertEquals(new formats.FormatSpec("oms-extend", true, "ERP01", true), loader.parse("p.yaml",
                GOOD + "format: {type: oms-extend, transactionSequence: true, businessSystemId: ERP01, ddl: true}\n").format());
        assertEquals(List.of("p.yaml: format.businessSystemId: must have 1 to 20 characters, has 21",
                        "p.yaml: format.ddl: the json-row format carries row changes only; DDL messages exist in canal, maxwell, oms-default, oms-extend, dataworks, shareplex",
                        "p.yaml: format.size: unknown key (allowed here: type, transactionSequence, businessSystemId, ddl, updateMode, decimalAsString, typedValues, heartbeatIntervalMs)"),
                errors(GOOD + "format: {type: json-row, businessSystemId: ABCDEFGHIJKLMNOPQRSTU, ddl: true, size: 1}\n").stream().sorted().toList());
        assertEquals(List.of("p.yaml: format.type: missing"), errors(GOOD + "format: {ddl: false}\n"));
        // the DataWorks and SharePlex options, each only on its own format
        assertEquals(new formats.FormatSpec("dataworks", false, null, false, false, true, false),
                loader.parse("p.yaml", GOOD + "format: {type: dataworks, updateMode: combined, decimalAsString: true}\n").format());
        assertEquals(new formats.FormatSpec("shareplex", false, null, false, true, false, true),
                loader.parse("p.yaml", GOOD + "format: {type: shareplex, typedValues: true}\n").format());
        assertEquals(List.of("p.yaml: format.typedValues: is an option of the shareplex format, not of dataworks",
                        "p.yaml: format.updateMode: 'both' is not supported (supported: combined, split)"),
                errors(GOOD + "format: {type: dataworks, updateMode: both, typedValues: true}\n").stream().sorted().toList());
        assertEquals(5000, loader.parse("p.yaml", GOOD + "format: {type: oms-default, heartbeatIntervalMs: 5000}\n").format().heartbeatIntervalMs());
        assertEquals(List.of("p.yaml: format.heartbeatIntervalMs: the canal format has no heartbeat record (oms-default, oms-extend, dataworks have)"),
                errors(GOOD + "format: {type: canal, heartbeatIntervalMs: 5000}\n"));
        assertTrue(loader.parse("p.yaml", GOOD + "format: {type: shareplex, transactionSequence: true}\n").format().wholeTransactions(),
                "a database log reports where transactions end");
        assertEquals(List.of("p.yaml: format.transactionSequence: shareplex's meta.seq/size/idx need each transaction whole, from a"
                        + " source that reports where transactions end (mariadb, mysql, oceanbase, postgres, sqlserver); kafka does not"),
                errors(GOOD.replace("source: {type: postgres, host: db, database: shop, user: cdc, password: \"${env:SHOP_PW}\"}",
                        "source: {type: kafka, brokers: \"k:9092\", topics: [a], format: canal}") + "format: {type: shareplex, transactionSequence: true}\n"));
        assertEquals(List.of("p.yaml: format.ddl: DDL messages go to message queues (kafka, rocketmq); the hdfs sink follows schema changes itself"),
                errors(GOOD.replace("sink: {type: kafka, brokers: \"k1:9092,k2:9092\", options: {compressionCodec: lz4}}",
                        "sink: {type: hdfs, uri: \"file:///\", path: /x}") + "format: {type: canal, ddl: true}\n"));
    }

    @Test
    void labels() {
        assertEquals(List.of(), loader.parse("p.yaml", GOOD).labels());
        assertEquals(List.of("billing", "eu-west.1"), loader.parse("p.yaml", GOOD + "labels: [billing, eu-west.1]\n").labels());
        assertEquals(List.of("p.yaml: labels: expected a list of labels, e.g. [billing, eu], got text 'billing'"), errors(GOOD + "labels: billing\n"));
        assertEquals(List.of("p.yaml: labels[1]: text 'two words' is not a label: 1 to 63 letters, digits, '-', '_' or '.', starting with a letter or digit",
                "p.yaml: labels[2]: 'a' is listed twice"), errors(GOOD + "labels: [a, two words, a]\n"));
    }

    /** Partition templates of several folders: a '/' between parts separates them; only a leading one is refused. */
    @Test
    void partitionTemplatesOfSeveralFolders() {
        String hdfs = GOOD.replace("sink: {type: kafka, brokers: \"k1:9092,k2:9092\", options: {compressionCodec: lz4}}",
                "sink: {type: hdfs, uri: \"file:///\", path: /x, partition: \"%s\"}");
        assertEquals("dt={yyyy-MM-dd}/hr={HH}", loader.parse("p.yaml", hdfs.formatted("dt={yyyy-MM-dd}/hr={HH}")).sink()
                .config(sinks.hdfs.HdfsSinkConfig.class).partition());
        assertEquals("2026-11-22/08", sinks.hdfs.PartitionTemplate.parse("{yyyy-MM-dd}/{HH}").folder(java.time.Instant.parse("2026-11-22T08:30:00Z")));
        for (String bad : List.of("/dt={yyyy}", "dt={yyyy}//x", "dt={yyyy}/../x")) {
            assertEquals(1, errors(hdfs.formatted(bad)).size(), bad);
        }
    }

    /** Hadoop takes only the file system from a URI: a folder there would be ignored, so it is an error. */
    @Test
    void anHdfsUriWithAFolderIsRefused() {
        String hdfs = GOOD.replace("sink: {type: kafka, brokers: \"k1:9092,k2:9092\", options: {compressionCodec: lz4}}",
                "sink: {type: hdfs, uri: \"%s\", path: /x}");
        assertEquals(List.of("p.yaml: sink.uri: 'file:///data/out' has a folder (/data/out): the uri names the file system only (file:///);"
                + " put the folder in path"), errors(hdfs.formatted("file:///data/out")));
        assertEquals(List.of("p.yaml: sink.uri: 'hdfs://nn:8020/warehouse' has a folder (/warehouse): the uri names the file system only"
                + " (hdfs://nn:8020); put the folder in path"), errors(hdfs.formatted("hdfs://nn:8020/warehouse")));
        for (String fine : List.of("file:///", "hdfs://nn:8020", "hdfs://nn:8020/", "viewfs://cluster")) {
            assertEquals(fine, loader.parse("p.yaml", hdfs.formatted(fine)).sink().config(sinks.hdfs.HdfsSinkConfig.class).uri());
        }
    }

    @Test
    void rowFiltersColumnsAndRenames() {
        PipelineSpec spec = loader.parse("p.yaml", GOOD.replace("    topic: orders", "    topic: orders\n"
                + "    where: \"status <> 'draft' AND amount > 10\"\n    columns: [id, status, amount]\n"
                + "    rename: {database: sales, table: 订单, columns: {amount: 金额}}"));
        PipelineSpec.ObjectSpec o = spec.objects().get(0);
        assertEquals("status <> 'draft' AND amount > 10", o.where());
        assertEquals(List.of("id", "status", "amount"), o.columns());
        assertEquals(new PipelineSpec.Rename("sales", "订单", Map.of("amount", "金额")), o.rename());
        List<String> errors = errors(GOOD.replace("    topic: orders", "    topic: orders\n    where: \"amount >\"\n"
                + "    rename: {schema: x, columns: [a]}"));
        assertTrue(errors.get(0).startsWith("p.yaml: objects[0].where: not a SQL condition: "), errors.toString());
        assertEquals(List.of("p.yaml: objects[0].rename.columns: expected a mapping of old name: new name, got a list",
                "p.yaml: objects[0].rename.schema: unknown key (allowed here: database, table, columns)"), errors.subList(1, 3).stream().sorted().toList());
        assertEquals(List.of("p.yaml: objects[0].where: function now is not supported in a row filter (supported: LOWER, UPPER, LENGTH, "
                + "CHAR_LENGTH, TRIM, ABS, COALESCE)"), errors(GOOD.replace("    topic: orders", "    topic: orders\n    where: created > now()")));
    }

    @Test
    void objectsImportedFromCsv() throws Exception {
        Path dir = Files.createTempDirectory("pipelines");
        Files.writeString(dir.resolve("objects.csv"), """
                table,destination,where,columns,shardingColumns
                public.invoices,invoices,amount > 0,"id,amount;status",customer_id
                public.客户,customers,,,
                """);
        Files.writeString(dir.resolve("p.yaml"), GOOD.replace("objects:", "objectsCsv: objects.csv\nobjects:"));
        PipelineSpec spec = loader.load(dir.resolve("p.yaml"));
        assertEquals(4, spec.objects().size(), "the YAML's two, then the file's");
        PipelineSpec.ObjectSpec invoices = spec.objects().get(2);
        assertEquals("invoices", invoices.table());
        assertEquals("invoices", invoices.topic());
        assertEquals("amount > 0", invoices.where());
        assertEquals(List.of("id", "amount", "status"), invoices.columns());
        assertEquals(List.of("customer_id"), invoices.shardingColumns());
        assertEquals("客户", spec.objects().get(3).table());
        Files.writeString(dir.resolve("objects.csv"), "table,destination,filter\npublic.x,x,\"a >\"\n");
        List<String> errors = assertThrows(PipelineConfigException.class, () -> loader.load(dir.resolve("p.yaml"))).errors();
        assertTrue(errors.contains(dir.resolve("p.yaml") + ": objectsCsv line 2: unknown column 'filter' (the header is table,destination,where,columns,shardingColumns)"), errors.toString());
        Files.delete(dir.resolve("objects.csv"));
        assertTrue(assertThrows(PipelineConfigException.class, () -> loader.load(dir.resolve("p.yaml"))).errors().get(0)
                .contains("objectsCsv: cannot read"));
    }

    @Test
    void dedup() {
        assertEquals(new PipelineSpec.Dedup("memory", 600_000, null, null, null), loader.parse("p.yaml", GOOD + "dedup: {}\n").dedup());
        PipelineSpec.Dedup jdbc = loader.parse("p.yaml", GOOD + "dedup: {repository: jdbc, window: 2h, url: \"jdbc:postgresql://db/ids\", "
                + "user: u, password: \"${env:SHOP_PW}\"}\n").dedup();
        assertEquals(7_200_000, jdbc.windowMs());
        assertEquals("pä$$w0rd", jdbc.password());
        assertTrue(!jdbc.toString().contains("w0rd"), "the password never printed");
        assertEquals(List.of("p.yaml: dedup.url: missing", "p.yaml: dedup.window: 'soon' is not a duration: a positive number with ms, s, m, h or d (e.g. 10m)"),
                errors(GOOD + "dedup: {repository: jdbc, window: soon}\n").stream().sorted().toList());
        assertEquals(List.of("p.yaml: dedup.repository: 'redis' is not supported (supported: jdbc, memory)"), errors(GOOD + "dedup: {repository: redis}\n"));
        assertEquals(null, loader.parse("p.yaml", GOOD).dedup());
    }

    @Test
    void batchBounds() {
        assertEquals(new PipelineSpec.BatchPolicy(500, 20), loader.parse("p.yaml", GOOD + "batch: {maxEvents: 500, maxWaitMs: 20}\n").batch());
        assertEquals(new PipelineSpec.BatchPolicy(2048, 5, false), loader.parse("p.yaml", GOOD + "batch: {overlap: false}\n").batch());
        assertEquals(List.of("p.yaml: batch.maxEvents: 0 is out of range [1, 100000]",
                        "p.yaml: batch.maxWaitMs: expected a whole number, got text 'soon'",
                        "p.yaml: batch.size: unknown key (allowed here: maxEvents, maxWaitMs, overlap)"),
                errors(GOOD + "batch: {maxEvents: 0, maxWaitMs: soon, size: 3}\n").stream().sorted().toList());
    }

    @Test
    void namesEveryBadKeyWithItsReason() {
        List<String> errors = errors("""
                pipeline: Orders
                source: {type: postgres, host: db, port: "x", database: shop, user: cdc, password: "${env:MISSING}", colour: red}
                mode: sometimes
                objects:
                  - table: orders
                  - {table: public.t, topic: t, filter: "x > 1"}
                sink: {type: kafka}
                errors: {retries: -1}
                """);
        assertEquals(List.of(
                "p.yaml: pipeline: 'Orders' is not a valid name: lower-case letters, digits, '-' and '_', starting with a letter, at most 48 characters",
                "p.yaml: source.colour: unknown key (allowed here: type, host, port, database, user, password, slot, publication, publicationScope, options)",
                "p.yaml: source.port: expected a whole number, got text 'x'",
                "p.yaml: source.password: environment variable MISSING is not set",
                "p.yaml: mode: 'sometimes' is not one of [full, incremental, full-and-incremental]",
                "p.yaml: objects[0].table: unknown table pattern 'orders': expected schema.table, '*' allowed in the table name (e.g. public.orders, public.order_*)",
                "p.yaml: objects[1].filter: unknown key (allowed here: table, topic, shardingColumns, target, path, where, columns, rename)",
                "p.yaml: sink.brokers: missing",
                "p.yaml: errors.retries: -1 is out of range [0, 1000000]"), errors);
        // an unknown type has no keys to judge: its error alone
        assertEquals(List.of("p.yaml: source.type: 'oracle' is not supported (supported: jdbc, kafka, mariadb, mysql, oceanbase, postgres, rocketmq, sqlserver)"),
                errors(GOOD.replace("{type: postgres,", "{type: oracle,")));
    }

    @Test
    void missingSectionsAndWrongShapes() {
        assertEquals(List.of("p.yaml: pipeline: missing", "p.yaml: source: missing", "p.yaml: objects: missing (a list of tables, e.g. '- table: public.orders')",
                "p.yaml: sink: missing"), errors("format: debezium\n"));
        assertEquals(List.of("p.yaml: (file): expected a mapping with the keys pipeline, source, objects, sink"), errors("- a\n- b\n"));
        assertTrue(errors("pipeline: [a\n").get(0).startsWith("p.yaml: (file): not valid YAML (line"));
        assertTrue(errors(GOOD.replace("objects:", "objects: {}\nx:")).contains("p.yaml: objects: expected a non-empty list of tables, got a mapping"));
        assertTrue(errors(GOOD + "pipeline: again\n").get(0).contains("Duplicate field 'pipeline'"));
        assertTrue(errors(GOOD.replace("format: debezium", "").replace("pipeline: orders-to-kafka", "pipeline: orders-to-kafka\nformat: avro"))
                .contains("p.yaml: format: 'avro' is not supported (supported: canal, dataworks, debezium, json-row, maxwell, oms-default, oms-extend, shareplex)"));
    }

    @Test
    void topicsMustBeValidKafkaNamesAndPasswordsStayOutOfOptions() {
        assertEquals(List.of("p.yaml: objects[0].topic: 'orders topic' is not a valid topic name: letters, digits, '.', '_', '-' (and {schema}, {table}), at most 249 characters"),
                errors(GOOD.replace("topic: orders", "topic: orders topic")));
        assertEquals(List.of("p.yaml: source.options: a password does not belong in options (it would become part of an endpoint URI): use source.password"),
                errors(GOOD.replace("password: \"${env:SHOP_PW}\"}", "password: \"${env:SHOP_PW}\", options: {databasePassword: x}}")));
    }

    @Test
    void rocketMqSinkWithAclTraceTagAndShardingColumns() {
        PipelineSpec spec = loader.parse("p.yaml", GOOD
                .replace("sink: {type: kafka, brokers: \"k1:9092,k2:9092\", options: {compressionCodec: lz4}}",
                        "sink: {type: rocketmq, namesrv: \"n1:9876;n2:9876\", tag: cdc, trace: true, accessKey: ak, secretKey: \"${env:SHOP_PW}\","
                                + " options: {sendTimeoutMs: 2000}}")
                .replace("    topic: orders", "    topic: orders\n    shardingColumns: [customer_id]"));
        assertEquals("rocketmq", spec.sink().type());
        assertEquals("n1:9876;n2:9876", spec.sink().config(sinks.rocketmq.RocketMqSinkConfig.class).namesrv());
        assertEquals("tributary_orders_to_kafka", spec.sink().config(sinks.rocketmq.RocketMqSinkConfig.class).producerGroup());
        assertEquals("cdc", spec.sink().config(sinks.rocketmq.RocketMqSinkConfig.class).tag());
        assertTrue(spec.sink().config(sinks.rocketmq.RocketMqSinkConfig.class).trace());
        assertEquals("ak", spec.sink().config(sinks.rocketmq.RocketMqSinkConfig.class).accessKey());
        assertEquals("pä$$w0rd", spec.sink().config(sinks.rocketmq.RocketMqSinkConfig.class).secretKey());
        assertTrue(spec.sink().config(sinks.rocketmq.RocketMqSinkConfig.class).sendOkOnly());
        assertFalse(spec.sink().config().toString().contains("pä$$w0rd"));
        assertEquals(List.of("customer_id"), spec.objects().get(0).shardingColumns());
        assertEquals(List.of(), spec.objects().get(1).shardingColumns());
    }

    @Test
    void rocketMqSinkErrors() {
        String rocketmq = GOOD.replace("sink: {type: kafka, brokers: \"k1:9092,k2:9092\", options: {compressionCodec: lz4}}",
                "sink: {type: rocketmq, brokers: x, accessKey: ak, trace: sometimes, options: {sendTimeoutMs: soon, lingerMs: 5}}");
        assertEquals(List.of(
                "p.yaml: sink.brokers: unknown key (allowed here: type, namesrv, producerGroup, tag, trace, accessKey, secretKey, autoCreateTopics, sendOkOnly, options)",
                "p.yaml: sink.namesrv: missing",
                "p.yaml: sink.secretKey: accessKey and secretKey go together (RocketMQ ACL)",
                "p.yaml: sink.options.sendTimeoutMs: expected a whole number, got 'soon'",
                "p.yaml: sink.options.lingerMs: unknown option (allowed: maxBatchBytes, maxBatchMessages, maxMessageBytes, retryDelayMs, sendRetries, sendThreads, sendTimeoutMs)",
                "p.yaml: sink.trace: expected true or false, got text 'sometimes'"), errors(rocketmq));
        assertEquals(List.of("p.yaml: objects[0].shardingColumns: expected a non-empty list of column names, got text 'customer_id'"),
                errors(GOOD.replace("    topic: orders", "    topic: orders\n    shardingColumns: customer_id")));
    }

    @Test
    void kafkaOptionsAreCheckedAgainstCamelKafkasCatalog() {
        String kafka = GOOD.replace("options: {compressionCodec: lz4}",
                "options: {compressionCodec: lz5, lingerMs: soon, enableIdempotence: maybe, lingerMillis: 5, additionalProperties.acks: all}");
        assertEquals(List.of(
                "p.yaml: sink.options.compressionCodec: expected one of [\"none\",\"gzip\",\"snappy\",\"lz4\",\"zstd\"], got 'lz5'",
                "p.yaml: sink.options.lingerMs: expected a whole number, got 'soon'",
                "p.yaml: sink.options.enableIdempotence: expected true or false, got 'maybe'",
                "p.yaml: sink.options.lingerMillis: not an option of Camel's kafka endpoint"), errors(kafka));
    }

    @Test
    void jdbcSink() {
        String jdbc = GOOD.replace("sink: {type: kafka, brokers: \"k1:9092,k2:9092\", options: {compressionCodec: lz4}}",
                "sink: {type: jdbc, url: \"jdbc:postgresql://db/copy\", user: w, password: w-secret, autoCreate: true}")
                .replace("    topic: orders", "    target: copy.orders");
        PipelineSpec spec = loader.parse("p.yaml", jdbc);
        assertEquals("jdbc:postgresql://db/copy", spec.sink().config(sinks.jdbc.JdbcSinkConfig.class).url());
        assertEquals("w-secret", spec.sink().config(sinks.jdbc.JdbcSinkConfig.class).password());
        assertTrue(spec.sink().config(sinks.jdbc.JdbcSinkConfig.class).autoCreate());
        assertFalse(spec.sink().config(sinks.jdbc.JdbcSinkConfig.class).autoEvolve());
        assertEquals(1000, spec.sink().config(sinks.jdbc.JdbcSinkConfig.class).batchSize());
        assertEquals("fail", spec.sink().config(sinks.jdbc.JdbcSinkConfig.class).noPrimaryKey());
        assertEquals("copy.orders", spec.objects().get(0).targetFor("orders"));
        assertEquals("order_items", spec.objects().get(1).targetFor("order_items"));
        assertFalse(spec.sink().config(sinks.jdbc.JdbcSinkConfig.class).toString().contains("w-secret"));
        assertEquals(List.of("p.yaml: sink.url: expected a JDBC URL (jdbc:postgresql://..., jdbc:mysql://..., jdbc:mariadb://..., jdbc:sqlserver://...)",
                        "p.yaml: sink.noPrimaryKey: 'skip' is not supported (supported: fail, insert)", "p.yaml: sink.password: missing"),
                errors(jdbc.replace("url: \"jdbc:postgresql://db/copy\"", "url: \"postgres://db\"").replace(", password: w-secret", ", noPrimaryKey: skip")));
    }

    @Test
    void publicationScope() {
        assertFalse(loader.parse("p.yaml", GOOD).source().config(sources.postgres.PostgresSourceConfig.class).publishSchemas());
        assertTrue(loader.parse("p.yaml", GOOD.replace("database: shop,", "database: shop, publicationScope: schemas,")).source().config(sources.postgres.PostgresSourceConfig.class).publishSchemas());
        assertEquals(List.of("p.yaml: source.publicationScope: 'all' is not supported (supported: schemas, tables)"),
                errors(GOOD.replace("database: shop,", "database: shop, publicationScope: all,")));
    }

    @Test
    void binlogSources() {
        PipelineSpec maria = loader.parse("p.yaml", GOOD.replace("{type: postgres, host: db, database: shop,", "{type: mariadb, host: db,"));
        assertEquals(3306, maria.source().config(sources.binlog.BinlogSourceConfig.class).port());
        assertTrue(maria.source().config(sources.binlog.BinlogSourceConfig.class).serverId() > 0);
        assertEquals(maria.source().config(sources.binlog.BinlogSourceConfig.class).serverId(), loader.parse("p.yaml", GOOD.replace("{type: postgres, host: db, database: shop,", "{type: mariadb, host: db,"))
                .source().config(sources.binlog.BinlogSourceConfig.class).serverId(), "the default server id is stable");
        PipelineSpec ob = loader.parse("p.yaml", GOOD.replace("{type: postgres, host: db, database: shop,", "{type: oceanbase, host: db, tenant: t1,"));
        assertEquals("cdc@t1", ob.source().config(sources.binlog.BinlogSourceConfig.class).user());
        assertEquals(2883, ob.source().config(sources.binlog.BinlogSourceConfig.class).port());
        assertEquals(List.of("p.yaml: source.slot: unknown key (allowed here: type, host, port, database, user, password, serverId, tenant, cluster, options)",
                        "p.yaml: source.tenant: missing"),
                errors(GOOD.replace("{type: postgres, host: db, database: shop,", "{type: oceanbase, host: db, slot: s,")));
        assertEquals(List.of("p.yaml: source.database: missing"),
                errors(GOOD.replace("{type: postgres, host: db, database: shop,", "{type: sqlserver, host: db,")));
    }

    @Test
    void parallelSnapshotSources() {
        String maria = GOOD.replace("{type: postgres, host: db, database: shop,", "{type: mariadb, host: db,") + "snapshot: {threads: 3}\n";
        assertEquals(3, loader.parse("p.yaml", maria).snapshot().threads());
        assertEquals(List.of("p.yaml: snapshot: a parallel snapshot reads mariadb, mysql, postgres sources; oceanbase sources take Debezium's snapshot"),
                errors(GOOD.replace("{type: postgres, host: db, database: shop,", "{type: oceanbase, host: db, tenant: t1,") + "snapshot: {threads: 3}\n"));
    }

    @Test
    void startTimestamp() {
        String incremental = GOOD + "mode: incremental\n";
        assertEquals(List.of("p.yaml: startTimestamp: postgres streams from its stored position only (it cannot seek its log by time): a past startTimestamp "
                        + "(2026-01-01T00:00:00Z) cannot be honoured; remove it, or use mode full-and-incremental"),
                errors(incremental + "startTimestamp: 2026-01-01T00:00:00Z\n"));
        assertEquals(List.of("p.yaml: startTimestamp: applies to mode incremental only (full and full-and-incremental start with a snapshot)"),
                errors(GOOD + "startTimestamp: 2099-01-01T00:00:00Z\n"));
        assertEquals(List.of("p.yaml: startTimestamp: 'yesterday' is not an ISO-8601 date-time with offset (e.g. 2026-11-22T08:00:00Z)"),
                errors(incremental + "startTimestamp: yesterday\n"));
        String maria = incremental.replace("{type: postgres, host: db, database: shop,", "{type: mariadb, host: db,");
        assertEquals(java.time.Instant.parse("2026-01-01T07:00:00Z"),
                loader.parse("p.yaml", maria + "startTimestamp: \"2026-01-01T08:00:00+01:00\"\n").startTimestamp());
    }

    @Test
    void jdbcPollingSource() {
        String polled = GOOD.replace("source: {type: postgres, host: db, database: shop, user: cdc, password: \"${env:SHOP_PW}\"}",
                        "source: {type: jdbc, url: \"jdbc:postgresql://db/shop\", user: cdc, password: \"${env:SHOP_PW}\", delayMs: 5000}")
                .replace("  - table: public.orders\n    topic: orders\n  - table: public.order_*\n",
                        "  - {table: public.orders, pollMode: timestamp+incrementing, incrementingColumn: id, timestampColumn: updated_at}\n");
        PipelineSpec spec = loader.parse("p.yaml", polled);
        sources.jdbc.JdbcPollingSourceConfig polling = spec.source().config(sources.jdbc.JdbcPollingSourceConfig.class);
        assertEquals("jdbc:postgresql://db/shop", polling.url());
        assertEquals(1000, polling.pollIntervalMs());
        assertEquals(5000, polling.delayMs());
        assertEquals(new sources.jdbc.PollSpec("timestamp+incrementing", "id", "updated_at"), spec.objects().get(0).settings());
        assertEquals(List.of("p.yaml: objects[0].timestampColumn: missing (pollMode timestamp needs a last-modified column)"),
                errors(polled.replace("pollMode: timestamp+incrementing, incrementingColumn: id, timestampColumn: updated_at", "pollMode: timestamp")));
        assertEquals(List.of("p.yaml: objects[0].pollMode: bulk reads the whole table: it goes with mode full only"),
                errors(polled.replace("pollMode: timestamp+incrementing, incrementingColumn: id, timestampColumn: updated_at", "pollMode: bulk")));
        assertEquals(List.of("p.yaml: objects[0].table: a polled table is named exactly ('*' is for log-based sources)"),
                errors(polled.replace("table: public.orders,", "table: public.order_*,")));
    }

    @Test
    void hdfsSink() {
        String hdfs = GOOD.replace("sink: {type: kafka, brokers: \"k1:9092,k2:9092\", options: {compressionCodec: lz4}}",
                "sink: {type: hdfs, uri: \"hdfs://nn:8020\", path: /warehouse, fileFormat: parquet, rollRecords: 500, sync: hsync,\n"
                        + "       options: {dfs.replication: 2}}")
                .replace("    topic: orders", "    path: \"/archive/{schema}_{table}\"");
        PipelineSpec spec = loader.parse("p.yaml", hdfs);
        sinks.hdfs.HdfsSinkConfig target = spec.sink().config(sinks.hdfs.HdfsSinkConfig.class);
        assertEquals(new sinks.hdfs.HdfsSinkConfig("hdfs://nn:8020", "/warehouse", "parquet", "dt={yyyy-MM-dd}", 128 << 20, 500, 300_000,
                true, null, Map.of("dfs.replication", "2")), target);
        assertEquals("/archive/public_orders", spec.objects().get(0).pathFor("shop", "public", "orders"));
        assertEquals("shop/order_items", spec.objects().get(1).pathFor("shop", "public", "order_items"));
        assertEquals("", loader.parse("p.yaml", hdfs.replace("sync: hsync", "partition: \"\"")).sink().config(sinks.hdfs.HdfsSinkConfig.class).partition());
        assertEquals(List.of("p.yaml: sink.fileFormat: 'orc' is not supported (supported: csv, jsonl, parquet)",
                        "p.yaml: sink.partition: 'dt={yyyy-MM-dd' has a '{' without its '}'",
                        "p.yaml: sink.path: 'warehouse' must be an absolute folder path without '..'",
                        "p.yaml: sink.rollAgeMs: 5 is out of range [100, 86400000]",
                        "p.yaml: sink.uri: 's3://bucket' is not a file system URI: expected hdfs://namenode:port (or viewfs://, file:///)"),
                errors(hdfs.replace("hdfs://nn:8020", "s3://bucket").replace("path: /warehouse", "path: warehouse, partition: \"dt={yyyy-MM-dd\", rollAgeMs: 5")
                        .replace("fileFormat: parquet", "fileFormat: orc")).stream().sorted().toList());
    }

    @Test
    void aWronglyTypedPasswordIsNotEchoed() {
        List<String> errors = errors(GOOD.replace("password: \"${env:SHOP_PW}\"", "password: [hunter2]"));
        assertEquals(List.of("p.yaml: source.password: expected a text value, got a array"), errors);
        assertFalse(String.join("", errors).contains("hunter2"));
    }

    @Test
    void aDirectoryReportsTheErrorsOfEveryFileAndDuplicateNames() throws Exception {
        Path dir = Files.createTempDirectory("pipelines");
        Files.writeString(dir.resolve("a.yaml"), GOOD);
        Files.writeString(dir.resolve("b.yaml"), GOOD);
        Files.writeString(dir.resolve("c.yml"), "pipeline: c\n");
        Files.writeString(dir.resolve("routes.camel.yaml"), "- route: {}\n");
        Files.writeString(dir.resolve("notes.txt"), "not a pipeline");
        List<String> errors = assertThrows(PipelineConfigException.class, () -> loader.loadDirectory(dir)).errors();
        assertEquals(dir.resolve("b.yaml") + ": pipeline: 'orders-to-kafka' is already defined in " + dir.resolve("a.yaml"), errors.get(0));
        assertTrue(errors.contains(dir.resolve("c.yml") + ": source: missing"));
        assertEquals(4, errors.size(), String.join("\n", errors));
        Files.delete(dir.resolve("b.yaml"));
        Files.delete(dir.resolve("c.yml"));
        assertEquals(1, loader.loadDirectory(dir).size());
        assertEquals(List.of(), loader.loadDirectory(dir.resolve("absent")));
    }
}
