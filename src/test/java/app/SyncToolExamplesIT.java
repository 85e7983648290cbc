package app;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import testsupport.Dirs;
import testsupport.Hdfs;
import testsupport.KafkaBroker;
import testsupport.PartFiles;
import testsupport.PipelineStatus;
import testsupport.Postgres;
import testsupport.TestServers;
import testsupport.TributaryJar;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SyncTool's three modes as the examples ship them, in one fat JAR on PostgreSQL and a MiniDFSCluster: full (parallel
 * snapshot to Parquet, then SUCCESS), incremental from a timestamp (JSON lines per day and hour; changes before the
 * instant left out) and full and continuous (Parquet per day). Swapped for the test: hosts, credentials, the base folder,
 * the start instant (a few seconds ahead) and rollAgeMs (2 s instead of 10 minutes, so the files are published while
 * the test waits); everything else is the examples'.
 */
class SyncToolExamplesIT {

    @Test
    void theThreeSyncToolExamplesRunAsShipped() throws Exception {
        Postgres pg = TestServers.postgres();
        Hdfs hdfs = TestServers.hdfs();
        pg.createDatabase("shop");
        pg.execute("shop", "CREATE TABLE orders (id int PRIMARY KEY, customer text NOT NULL, amount numeric(10,2))",
                "CREATE TABLE order_items (order_id int, line int, sku text, PRIMARY KEY (order_id, line))",
                "INSERT INTO orders SELECT g, 'c' || g, g * 1.5 FROM generate_series(1, 100) g",
                "INSERT INTO order_items SELECT g / 2 + 1, g % 2, 'sku' || g FROM generate_series(0, 199) g");
        String base = "/synctool-" + System.nanoTime();
        Instant start = Instant.now().plusSeconds(15).truncatedTo(ChronoUnit.SECONDS);
        java.nio.file.Path dir = Files.createTempDirectory("tributary-synctool");
        Files.createDirectories(dir.resolve("pipelines"));
        for (String example : List.of("postgres-to-hdfs-full.yaml", "postgres-to-hdfs-from-timestamp.yaml", "postgres-to-hdfs.yaml")) {
            String text = Files.readString(java.nio.file.Path.of("config/examples", example), StandardCharsets.UTF_8)
                    .replace("port: 5432", "port: " + pg.port())
                    .replace("user: cdc", "user: " + Postgres.USER)
                    .replace("\"${env:SHOP_PG_PASSWORD}\"", Postgres.PASSWORD)
                    .replace("hdfs://namenode:8020", hdfs.uri()).replace("hdfs://localhost:8020", hdfs.uri())
                    .replace("path: /warehouse", "path: " + base + "/warehouse")
                    .replace("2030-01-01T00:00:00Z", start.toString())
                    .replace("rollAgeMs: 600000", "rollAgeMs: 2000");
            Files.writeString(dir.resolve("pipelines/" + example), text);
        }
        int port = KafkaBroker.freePort();
        TributaryJar jar = TributaryJar.start(dir, port, "synctool-examples");
        FileSystem fs = hdfs.client();
        try {
            PipelineStatus.awaitRunning(port, "shop-changes");
            pg.execute("shop", "INSERT INTO orders VALUES (1001, 'before the instant', 1)");
            await().atMost(Duration.ofSeconds(30)).until(() -> Instant.now().isAfter(start.plusSeconds(1)));
            pg.execute("shop", "INSERT INTO orders VALUES (1002, 'after the instant', 2)", "UPDATE orders SET amount = 0 WHERE id = 1");

            // full: the two tables as they were, then SUCCESS
            await().atMost(Duration.ofSeconds(90)).until(() -> PipelineStatus.status(port, "shop-full-export").path("state").asText().equals("SUCCESS"));
            Map<String, Long> full = PartFiles.readAll(fs, new Path(base + "/warehouse/full"), 1).stream()
                    .collect(Collectors.groupingBy(PartFiles.Rec::table, Collectors.counting()));
            assertEquals(Map.of("orders", 100L, "order_items", 200L), full);

            // incremental from the instant: the insert and the update after it, not the insert before
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> PartFiles.readAll(fs, new Path(base + "/warehouse/changes"), 3).size() >= 2);
            List<String> changes = PartFiles.readAll(fs, new Path(base + "/warehouse/changes"), 3).stream()
                    .map(r -> r.op() + " " + r.values().get("id")).toList();
            assertEquals(List.of("CREATE 1002", "UPDATE 1"), changes);
            assertTrue(PartFiles.published(fs, new Path(base + "/warehouse/changes")).stream()
                    .allMatch(p -> p.getParent().getName().startsWith("hr=") && p.getParent().getParent().getName().startsWith("dt=")));

            // full and continuous: the snapshot and every change since
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> PartFiles.readAll(fs, new Path(base + "/warehouse"), 2).stream()
                            .filter(r -> r.table().equals("orders") || r.table().equals("public_order_items")).count() >= 100 + 200 + 3);
            Map<String, Long> archive = PartFiles.readAll(fs, new Path(base + "/warehouse"), 2).stream()
                    .filter(r -> r.table().equals("orders") || r.table().equals("public_order_items"))
                    .collect(Collectors.groupingBy(r -> r.table() + " " + r.op(), Collectors.counting()));
            assertEquals(Map.of("orders READ", 100L, "orders CREATE", 2L, "orders UPDATE", 1L, "public_order_items READ", 200L), archive);
            System.out.printf("SyncTool examples: full %s; incremental from %s %s; full and continuous %s%n", full, start, changes, archive);
        } finally {
            jar.process.destroy();
            jar.process.waitFor(30, TimeUnit.SECONDS);
            jar.process.destroyForcibly();
            Dirs.delete(dir);
            for (String slot : List.of("tributary_shop_full_export", "tributary_shop_changes", "tributary_shop_archive")) {
                try {
                    pg.execute("shop", "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '" + slot + "'");
                } catch (Exception e) {
                    // not created, or still held: the server is the test run's own
                }
            }
        }
    }
}
