package formats;

import testsupport.PipelineStatus;
import testsupport.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import formats.Formats;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import testsupport.MariaDb;
import testsupport.Postgres;
import testsupport.RunningTributary;
import testsupport.TestServers;
import testsupport.Topics;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every format end to end onto Kafka, from a real PostgreSQL and a real MariaDB, compared with golden files
 * (src/test/resources/golden/{source}-{format}.jsonl) — the examples of docs/formats.md. The table and its columns are
 * named in Chinese. What differs from run to run (commit times, log positions, transaction ids) is masked before the
 * comparison; everything else must match byte for byte. {@code -Dgolden.write=true} rewrites the files (review the diff).
 */
class FormatsIT {

    /** Fields whose values change with every run. */
    static final Set<String> VARYING = Set.of("ts_ms", "ts_us", "lsn", "txId", "es", "ts", "storeDataSequence", "timestamp",
            "transId", "xid", "position", "__ts", "uniqueId", "file", "pos", "gtid", "sequenceId", "eventTime", "systemTime", "checkpointTime",
            "time", "posttime", "trans");

    final String kafka = TestServers.kafka().bootstrap();

    static String options(String format) {
        return switch (format) {
            case "canal" -> "{type: canal, transactionSequence: true, ddl: true}";
            case "maxwell" -> "{type: maxwell, ddl: true}";
            case "oms-default" -> "{type: oms-default, ddl: true}";
            case "oms-extend" -> "{type: oms-extend, transactionSequence: true, businessSystemId: ERP01, ddl: true}";
            case "dataworks" -> "{type: dataworks, ddl: true}";
            case "shareplex" -> "{type: shareplex, ddl: true}";
            default -> format;
        };
    }

    @Test
    void postgres() throws Exception {
        Postgres pg = TestServers.postgres();
        pg.createDatabase("fmtpg");
        pg.execute("fmtpg",
                "CREATE TABLE \"订单\" (\"编号\" int PRIMARY KEY, \"名称\" text NOT NULL, \"金额\" numeric(10,2), \"创建\" timestamp(6), "
                        + "\"照片\" bytea, \"有效\" boolean)",
                "ALTER TABLE \"订单\" REPLICA IDENTITY FULL",
                "INSERT INTO \"订单\" VALUES (1, '苹果', 12.50, '2026-11-21 10:15:30.123456', '\\x00ff10', true)");
        List<String> files = new ArrayList<>();
        for (String format : Formats.names()) {
            String ddlFree = options(format).replace(", ddl: true", "");  // PostgreSQL logs no DDL
            files.add("""
                    pipeline: fmtpg-%s
                    source: {type: postgres, host: localhost, port: %d, database: fmtpg, user: postgres, password: "s3cret-Pw"}
                    objects: [{table: public.订单, topic: fmt.pg.%s}]
                    format: %s
                    sink: {type: kafka, brokers: "%s"}
                    """.formatted(format, pg.port(), format, ddlFree, kafka));
        }
        try (RunningTributary t = new RunningTributary(files.toArray(String[]::new))) {
            for (String format : Formats.names()) {
                PipelineStatus.awaitRunning(t.port, "fmtpg-" + format);
            }
            try (Connection c = pg.connect("fmtpg"); Statement st = c.createStatement()) {
                st.execute("INSERT INTO \"订单\" VALUES (2, '香蕉', NULL, '2026-11-22 08:00:00', NULL, false)");
                c.setAutoCommit(false); // two changes in one transaction: sequence 1 and 2
                st.execute("INSERT INTO \"订单\" VALUES (3, '樱桃 \"甜\"', 0.01, NULL, '\\x', NULL)");
                st.execute("UPDATE \"订单\" SET \"金额\" = 13.00, \"名称\" = '红苹果' WHERE \"编号\" = 1");
                c.commit();
                c.setAutoCommit(true);
                st.execute("DELETE FROM \"订单\" WHERE \"编号\" = 2");
            }
            for (String format : Formats.names()) {
                compare("pg-" + format, read("fmt.pg." + format, messages(format, 5)));
            }
        }
    }

    @Test
    void mariadb() throws Exception {
        MariaDb maria = TestServers.mariadb();
        maria.createDatabase("fmtmaria");
        maria.execute("fmtmaria",
                "CREATE TABLE 订单 (编号 INT PRIMARY KEY, 名称 VARCHAR(20) NOT NULL, 金额 DECIMAL(10,2), 创建 DATETIME(6), "
                        + "照片 VARBINARY(8), 有效 BOOLEAN) DEFAULT CHARSET utf8mb4",
                "INSERT INTO 订单 VALUES (1, '苹果', 12.50, '2026-11-21 10:15:30.123456', x'00ff10', true)");
        List<String> files = new ArrayList<>();
        for (String format : Formats.names()) {
            files.add("""
                    pipeline: fmtmaria-%s
                    source: {type: mariadb, host: 127.0.0.1, port: %d, user: %s, password: %s}
                    objects: [{table: fmtmaria.订单, topic: fmt.maria.%s}]
                    format: %s
                    sink: {type: kafka, brokers: "%s"}
                    """.formatted(format, maria.port(), MariaDb.USER, MariaDb.PASSWORD, format, options(format), kafka));
        }
        try (RunningTributary t = new RunningTributary(files.toArray(String[]::new))) {
            for (String format : Formats.names()) {
                PipelineStatus.awaitRunning(t.port, "fmtmaria-" + format);
            }
            try (Connection c = maria.connect("fmtmaria"); Statement st = c.createStatement()) {
                st.execute("INSERT INTO 订单 VALUES (2, '香蕉', NULL, '2026-11-22 08:00:00', NULL, false)");
                c.setAutoCommit(false);
                st.execute("INSERT INTO 订单 VALUES (3, '樱桃 \"甜\"', 0.01, NULL, x'', NULL)");
                st.execute("UPDATE 订单 SET 金额 = 13.00, 名称 = '红苹果' WHERE 编号 = 1");
                c.commit();
                c.setAutoCommit(true);
                st.execute("DELETE FROM 订单 WHERE 编号 = 2");
                st.execute("ALTER TABLE 订单 ADD COLUMN 备注 VARCHAR(20)");
                st.execute("INSERT INTO 订单 (编号, 名称, 备注) VALUES (4, '梨', '新列')");
            }
            for (String format : Formats.names()) {
                // 5 row changes, the ALTER (formats with DDL messages), the insert after it
                compare("maria-" + format, read("fmt.maria." + format, messages(format, Formats.carriesDdl(format) ? 7 : 6)));
            }
        }
    }

    /** The messages of {@code changes} changes with one update among them: DataWorks writes an update as two. */
    static int messages(String format, int changes) {
        return format.equals("dataworks") ? changes + 1 : changes;
    }

    /** The topic's records as golden lines: {key, value} with varying fields masked, ordered by key then offset. */
    List<String> read(String topic, int expected) {
        List<ConsumerRecord<String, String>> records = Topics.readAtLeast(kafka, topic, expected, Duration.ofSeconds(90));
        records.sort(Comparator.comparing((ConsumerRecord<String, String> r) -> r.key()).thenComparingLong(ConsumerRecord::offset));
        List<String> lines = new ArrayList<>();
        for (ConsumerRecord<String, String> r : records) {
            ObjectNode line = Json.MAPPER.createObjectNode();
            line.put("key", r.key());
            line.set("value", mask(Json.json(r)));
            lines.add(line.toString());
        }
        return lines;
    }

    static JsonNode mask(JsonNode n) {
        if (n instanceof ObjectNode o && (o.has("commit") || o.has("xoffset"))) {
            // Maxwell: which row carries commit depends on where the batches were cut (TransactionEndsTest checks the rule)
            ObjectNode copy = o.objectNode();
            o.fields().forEachRemaining(f -> copy.set(f.getKey().equals("commit") || f.getKey().equals("xoffset") ? "xoffset|commit" : f.getKey(),
                    f.getKey().equals("commit") || f.getKey().equals("xoffset") ? TextNode.valueOf("<varies>") : f.getValue()));
            o.removeAll();
            o.setAll(copy);
        }
        if (n instanceof ObjectNode o) {
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                boolean epochSeconds = f.getKey().equals("checkpoint") && f.getValue().asText().matches("\\d{10}");
                if ((VARYING.contains(f.getKey()) || epochSeconds) && !f.getValue().isNull() && !f.getValue().isContainerNode()) {
                    f.setValue(TextNode.valueOf("<varies>"));
                } else {
                    mask(f.getValue());
                }
            }
        } else if (n != null && n.isArray()) {
            n.forEach(FormatsIT::mask);
        }
        return n;
    }

    static void compare(String name, List<String> actual) throws Exception {
        Path golden = Path.of("src/test/resources/golden", name + ".jsonl");
        String text = String.join("\n", actual) + "\n";
        if (Boolean.getBoolean("golden.write")) {
            Files.writeString(golden, text, StandardCharsets.UTF_8);
            return;
        }
        assertEquals(Files.readString(golden, StandardCharsets.UTF_8), text, "golden file " + golden);
    }
}
