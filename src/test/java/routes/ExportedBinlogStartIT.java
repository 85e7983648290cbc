package routes;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import testsupport.Dirs;
import testsupport.Json;
import testsupport.KafkaBroker;
import testsupport.MariaDb;
import testsupport.TestServers;
import testsupport.Topics;
import testsupport.TributaryJar;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Binlog pipelines in mode incremental exported as Camel routes ({@code routes export}) keep where they begin, across a
 * kill -9 of the fat JAR: one from a past {@code startTimestamp} (the binlog file that holds it, that file's earlier
 * changes dropped), one from "now" killed as its engine is built — the change written while it was down arrives after
 * the restart (Debezium alone stores no position before its schema snapshot's first records: it would begin at the
 * then-current position and miss it).
 */
class ExportedBinlogStartIT {

    @Test
    void exportedBinlogRoutesBeginWhereThePipelineWouldAndResumeAfterKillNine() throws Exception {
        MariaDb maria = TestServers.mariadb();
        String kafka = TestServers.kafka().bootstrap();
        maria.createDatabase("tsroute");
        maria.createDatabase("holdroute");
        maria.execute("holdroute", "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(40))");
        maria.execute("tsroute", "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(30))", "INSERT INTO t VALUES (1, 'old'), (2, 'old')",
                "FLUSH BINARY LOGS", "INSERT INTO t VALUES (3, 'same file, before')");
        Thread.sleep(1_500); // binlog events carry whole seconds: the instant lies strictly between the two groups
        Instant start = Instant.now();
        Thread.sleep(1_500);
        maria.execute("tsroute", "INSERT INTO t VALUES (4, 'after')", "UPDATE t SET v = 'changed' WHERE id = 1",
                "FLUSH BINARY LOGS", "INSERT INTO t VALUES (5, 'after, next file')");

        Path dir = Files.createTempDirectory("tributary-binlog-routes");
        try {
            for (String d : List.of("pipelines", "routes", "export")) {
                Files.createDirectories(dir.resolve(d));
            }
            List<String> jvm = new ArrayList<>();
            for (String[] p : new String[][]{{"ts-route", "tsroute.t", "route.ts", "startTimestamp: \"" + start + "\"\n"},
                    {"hold-route", "holdroute.t", "route.hold", ""}}) {
                Path file = dir.resolve("export").resolve(p[0] + ".yaml");
                Files.writeString(file, """
                        pipeline: %s
                        source: {type: mariadb, host: 127.0.0.1, port: %d, user: %s, password: %s}
                        mode: incremental
                        %sobjects: [{table: %s, topic: %s}]
                        sink: {type: kafka, brokers: "%s"}
                        """.formatted(p[0], maria.port(), MariaDb.USER, MariaDb.PASSWORD, p[3], p[1], p[2], kafka));
                String route = TributaryJar.export(file, dir.resolve("data"));
                assertTrue(route.contains("sources.binlog.BinlogStart"), route);
                Files.writeString(dir.resolve("routes").resolve(p[0] + ".camel.yaml"), route);
                jvm.add("-D" + p[0] + ".source.password=" + MariaDb.PASSWORD);
            }
            Path holdOffsets = dir.resolve("data").resolve("hold-route").resolve("offsets.dat");
            int port = KafkaBroker.freePort();
            try (TributaryJar first = TributaryJar.start(dir, port, "binlog-routes-first", jvm.toArray(String[]::new))) {
                // the worst moment: the engine is being built, Debezium has stored nothing yet (it stores a position with
                // its schema snapshot's DDL records, a moment later). A route has no status: its log line says it.
                Path log = Path.of("target", "jar-binlog-routes-first.log");
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(20))
                        .until(() -> Files.exists(log) && Files.readString(log).contains("starting CDC engine hold-route"));
                first.kill();
                List<java.util.Map<String, Object>> stored = sources.AtomicFileOffsetStore.storedOffsets(holdOffsets);
                System.out.println("hold-route: stored before any change " + stored);
                assertTrue(stored.size() == 1 && stored.get(0).containsKey("file"), "the hold route stored where it begins before it read anything: " + stored);
            }
            maria.execute("holdroute", "INSERT INTO t VALUES (1, 'written while it was down')");
            try (TributaryJar second = TributaryJar.start(dir, port, "binlog-routes-second", jvm.toArray(String[]::new))) {
                List<ConsumerRecord<String, String>> held = Topics.readAtLeast(kafka, "route.hold", 1, Duration.ofSeconds(90));
                assertEquals(List.of("written while it was down"), held.stream().map(r -> Json.json(r).at("/after/v").asText()).toList());

                maria.execute("tsroute", "INSERT INTO t VALUES (6, 'live')");
                assertEquals(List.of("c4", "u1", "c5", "c6"), distinctChanges(Topics.readUntil(kafka, "route.ts",
                        r -> distinctChanges(r).size() >= 4, Duration.ofSeconds(90))), "from the instant on, nothing before it");
                second.kill(); // mid-stream: what was delivered may come again, nothing may be lost
            }
            maria.execute("tsroute", "INSERT INTO t VALUES (7, 'after the kill')");
            try (TributaryJar third = TributaryJar.start(dir, port, "binlog-routes-third", jvm.toArray(String[]::new))) {
                assertEquals(List.of("c4", "u1", "c5", "c6", "c7"), distinctChanges(Topics.readUntil(kafka, "route.ts",
                        r -> distinctChanges(r).size() >= 5, Duration.ofSeconds(90))), "resumed at its stored position, not sought again");
            }
        } finally {
            Dirs.delete(dir);
        }
    }

    /** op + id of each record in order, repeats (a batch delivered again after a kill) counted once. */
    private static List<String> distinctChanges(List<ConsumerRecord<String, String>> records) {
        LinkedHashSet<String> seen = new LinkedHashSet<>();
        for (ConsumerRecord<String, String> r : records) {
            if (r.value() != null) {
                seen.add(Json.json(r).get("op").asText() + Json.json(r).at("/after/id").asInt());
            }
        }
        return new ArrayList<>(seen);
    }
}
