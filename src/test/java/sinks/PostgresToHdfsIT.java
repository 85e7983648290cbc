package sinks;

import testsupport.TributaryJar;
import testsupport.PipelineStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import testsupport.Hdfs;
import testsupport.PartFiles;
import testsupport.PartFiles.Rec;
import testsupport.Postgres;
import testsupport.RunningTributary;
import testsupport.TestServers;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PostgreSQL → HDFS (a real MiniDFSCluster) in each file format: a snapshot and a stream of mixed changes over two
 * tables; every published file is read back and replayed, and the tables it leaves behind equal the source. A reader
 * polls all along: a file under a final name is always whole and never changes.
 */
class PostgresToHdfsIT {

    static final int SNAPSHOT_ROWS = 10_000;
    static final int STATEMENTS = 30_000;

    final Postgres pg = TestServers.postgres();
    final Hdfs hdfs = TestServers.hdfs();

    static void createTables(Postgres pg, String database) throws Exception {
        pg.execute(database,
                "CREATE TABLE orders (id int PRIMARY KEY, name varchar(40) NOT NULL, price numeric(12,2), created timestamptz, flag boolean)",
                "CREATE TABLE events (id bigint PRIMARY KEY, payload text, day date)",
                "INSERT INTO orders SELECT g, '订单 ' || g, g * 1.25, TIMESTAMPTZ '2026-11-21 10:15:30.5+02' + g * INTERVAL '1 minute', g % 2 = 0 "
                        + "FROM generate_series(1, " + SNAPSHOT_ROWS + ") g",
                "INSERT INTO events SELECT g, 'event, \"' || g || E'\"\\nline two', DATE '2026-01-01' + g % 300 FROM generate_series(1, " + SNAPSHOT_ROWS + ") g");
    }

    /** Mixed single-row statements in transactions of 100; returns the changes (each statement changes one row). */
    static int runWorkload(Postgres pg, String database, int statements) throws Exception {
        Random random = new Random(7);
        List<Integer> orders = new ArrayList<>();
        List<Long> events = new ArrayList<>();
        for (int i = 1; i <= SNAPSHOT_ROWS; i++) {
            orders.add(i);
            events.add((long) i);
        }
        int nextOrder = SNAPSHOT_ROWS + 1;
        long nextEvent = SNAPSHOT_ROWS + 1;
        int changes = 0;
        try (Connection c = pg.connect(database)) {
            c.setAutoCommit(false);
            PreparedStatement insertOrder = c.prepareStatement("INSERT INTO orders VALUES (?, ?, ?, now(), true)");
            PreparedStatement updateOrder = c.prepareStatement("UPDATE orders SET price = price + 0.01, flag = NOT flag, name = name || '+' WHERE id = ?");
            PreparedStatement deleteOrder = c.prepareStatement("DELETE FROM orders WHERE id = ?");
            PreparedStatement insertEvent = c.prepareStatement("INSERT INTO events VALUES (?, ?, CURRENT_DATE)");
            PreparedStatement updateEvent = c.prepareStatement("UPDATE events SET payload = payload || ' again', day = day + 1 WHERE id = ?");
            for (int i = 0; i < statements; i++) {
                int kind = random.nextInt(10);
                PreparedStatement st;
                if (kind < 4) {
                    st = insertOrder;
                    st.setInt(1, nextOrder);
                    st.setString(2, "新 " + nextOrder);
                    st.setBigDecimal(3, new BigDecimal(nextOrder).movePointLeft(2));
                    orders.add(nextOrder++);
                } else if (kind < 6) {
                    st = updateOrder;
                    st.setInt(1, orders.get(random.nextInt(orders.size())));
                } else if (kind < 7) {
                    st = deleteOrder;
                    st.setInt(1, orders.remove(random.nextInt(orders.size())));
                } else if (kind < 9) {
                    st = insertEvent;
                    st.setLong(1, nextEvent);
                    st.setString(2, i % 17 == 0 ? "" : "e" + nextEvent);
                    events.add(nextEvent++);
                } else {
                    st = updateEvent;
                    st.setLong(1, events.get(random.nextInt(events.size())));
                }
                changes += st.executeUpdate();
                if (i % 100 == 99) {
                    c.commit();
                }
            }
            c.commit();
        }
        return changes;
    }

    /** The source table as the files carry it: id → column → text. */
    static Map<String, Map<String, String>> sourceRows(Postgres pg, String database, String table) throws Exception {
        Map<String, Map<String, String>> rows = new HashMap<>();
        try (Connection c = pg.connect(database); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM " + table)) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                Map<String, String> row = new HashMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    Object v = switch (md.getColumnTypeName(i)) {
                        case "timestamptz" -> rs.getObject(i, OffsetDateTime.class) == null ? null : rs.getObject(i, OffsetDateTime.class).toInstant();
                        case "date" -> rs.getObject(i, LocalDate.class);
                        case "numeric" -> rs.getBigDecimal(i) == null ? null : rs.getBigDecimal(i).toPlainString();
                        default -> rs.getObject(i);
                    };
                    row.put(md.getColumnName(i), v == null ? null : v.toString());
                }
                rows.put(row.get("id"), row);
            }
        }
        return rows;
    }

    /** What the published files of one table leave behind, with NULL-valued and empty cells made comparable. */
    static Map<String, Map<String, String>> comparable(Map<String, Map<String, String>> rows) {
        Map<String, Map<String, String>> out = new HashMap<>();
        rows.forEach((id, row) -> {
            Map<String, String> r = new HashMap<>(row);
            r.replaceAll((k, v) -> v == null || v.isEmpty() ? "∅" : v);
            out.put(id, r);
        });
        return out;
    }

    /** Polls the published files while the pipeline runs: each is whole when it appears and never changes after. */
    static final class Watcher implements AutoCloseable {
        final List<String> problems = new CopyOnWriteArrayList<>();
        final Map<Path, Long> seen = new ConcurrentHashMap<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        Watcher(FileSystem fs, Path base) {
            thread = new Thread(() -> {
                while (running.get()) {
                    try {
                        for (Path p : PartFiles.published(fs, base)) {
                            long length = fs.getFileStatus(p).getLen();
                            Long before = seen.putIfAbsent(p, length);
                            if (before == null) {
                                if (PartFiles.read(fs, p, "t").isEmpty()) {
                                    problems.add(p + " published empty");
                                }
                            } else if (before != length) {
                                problems.add(p + " changed from " + before + " to " + length + " bytes after it was published");
                            }
                        }
                        Thread.sleep(100);
                    } catch (java.io.FileNotFoundException vanished) {
                        problems.add("a published file vanished: " + vanished.getMessage());
                    } catch (RuntimeException e) {
                        // a local listing stats each file after listing it: a temporary file renamed in between is not a problem
                        if (String.valueOf(e.getMessage()).contains(".inprogress")) {
                            continue;
                        }
                        problems.add("unreadable: " + e);
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        problems.add("unreadable: " + e);
                    }
                }
            }, "part-watcher");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(10_000);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jsonl", "csv", "parquet"})
    void everyChangeIsInPublishedFiles(String fileFormat) throws Exception {
        String db = "h" + fileFormat;
        pg.createDatabase(db);
        createTables(pg, db);
        String base = "/tributary/" + fileFormat;
        String file = """
                pipeline: to-%s
                source: {type: postgres, host: localhost, port: %d, database: %s, user: postgres, password: pw}
                objects: [{table: public.orders}, {table: public.events}]
                sink: {type: hdfs, uri: "%s", path: %s, fileFormat: %s, rollRecords: 4000, rollAgeMs: 1500}
                """.formatted(fileFormat, pg.port(), db, hdfs.uri(), base, fileFormat);
        try (FileSystem fs = hdfs.client(); Watcher watcher = new Watcher(fs, new Path(base)); RunningTributary t = new RunningTributary(file)) {
            String status = "/api/pipelines/to-" + fileFormat;
            await().atMost(Duration.ofSeconds(120)).until(() -> t.get(status).body().contains("\"state\":\"RUNNING\""));
            long started = System.nanoTime();
            int changes = runWorkload(pg, db, STATEMENTS);
            long expected = 2L * SNAPSHOT_ROWS + changes;
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(250))
                    .until(() -> PipelineStatus.delivered(t.port, "to-" + fileFormat) >= expected);
            double seconds = (System.nanoTime() - started) / 1e9;
            // idle files are published by age; then nothing is left under a temporary name
            await().atMost(Duration.ofSeconds(30)).until(() -> PartFiles.list(fs, new Path(base)).stream()
                    .noneMatch(p -> p.getName().startsWith(".")));
            watcher.close();

            List<Rec> records = PartFiles.readAll(fs, new Path(base), 2);
            System.out.printf("hdfs %s: %d snapshot rows + %d changes → %d records in %d published files (%.1f s for the stream)%n",
                    fileFormat, 2 * SNAPSHOT_ROWS, changes, records.size(), PartFiles.published(fs, new Path(base)).size(), seconds);
            assertEquals(List.of(), watcher.problems);
            assertTrue(watcher.seen.size() >= 10, "the reader saw files appear while the pipeline ran: " + watcher.seen.size());
            assertEquals(expected, records.size(), "each change exactly once");
            Map<String, Map<String, Map<String, String>>> replayed = PartFiles.replay(records, "id");
            for (String table : List.of("orders", "events")) {
                Map<String, Map<String, String>> source = sourceRows(pg, db, table);
                assertEquals(comparable(source), comparable(replayed.get(table)), table + ": files replayed = source");
            }
        }
    }

    /** {@code file://} goes the same way; mode full ends SUCCESS once the snapshot is in published files. */
    @org.junit.jupiter.api.Test
    void aLocalFolderAndModeFullEndWithEverySnapshotRowPublished() throws Exception {
        String db = "hlocal";
        pg.createDatabase(db);
        createTables(pg, db);
        java.nio.file.Path local = java.nio.file.Files.createTempDirectory("tributary-local-sink");
        String file = """
                pipeline: to-local
                source: {type: postgres, host: localhost, port: %d, database: %s, user: postgres, password: pw}
                mode: full
                objects: [{table: public.orders}, {table: public.events, path: "archive/{schema}_{table}"}]
                sink: {type: hdfs, uri: "file:///", path: "%s", fileFormat: csv, partition: "", rollRecords: 3000, rollAgeMs: 600000}
                """.formatted(pg.port(), db, local);
        Path base = new Path(local.toUri());
        try (FileSystem fs = FileSystem.newInstance(local.toUri(), new org.apache.hadoop.conf.Configuration());
             Watcher watcher = new Watcher(fs, base); RunningTributary t = new RunningTributary(file)) {
            await().atMost(Duration.ofSeconds(120)).until(() -> t.get("/api/pipelines/to-local").body().contains("\"state\":\"SUCCESS\""));
            watcher.close();
            assertEquals(List.of(), watcher.problems);
            assertEquals(List.of(), PartFiles.list(fs, base).stream().filter(p -> p.getName().startsWith(".")).toList(),
                    "SUCCESS means published: no file is left under a temporary name (the roll age is 10 minutes)");
            assertTrue(java.nio.file.Files.exists(local.resolve("hlocal/orders/part-00001.csv")));
            assertTrue(java.nio.file.Files.exists(local.resolve("archive/public_events/part-00002.csv")));
            assertEquals(List.of(), PartFiles.list(fs, base).stream().filter(p -> p.getName().endsWith(".crc")).toList(), "no checksum side files");
            List<Rec> records = PartFiles.readAll(fs, base, 1);
            assertEquals(2 * SNAPSHOT_ROWS, records.size());
            Map<String, Map<String, Map<String, String>>> replayed = PartFiles.replay(records, "id");
            assertEquals(comparable(sourceRows(pg, db, "orders")), comparable(replayed.get("orders")));
            assertEquals(comparable(sourceRows(pg, db, "events")), comparable(replayed.get("public_events")));
        } finally {
            testsupport.Dirs.delete(local);
        }
    }

    /**
     * A folder for the JAR with one pipeline {@code name}: {@code public.t} of {@code db}, mode incremental, into
     * {@code base} on the test's HDFS, rolling at 3,000 records or 2 s; {@code more}: more top-level YAML,
     * {@code sinkOptions}: more sink options.
     */
    private java.nio.file.Path incrementalPipeline(String name, String db, String base, String more, String sinkOptions) throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("tributary-" + name);
        java.nio.file.Files.createDirectories(dir.resolve("pipelines"));
        java.nio.file.Files.writeString(dir.resolve("pipelines/p.yaml"), """
                pipeline: %s
                source: {type: postgres, host: localhost, port: %d, database: %s, user: postgres, password: pw}
                mode: incremental
                objects: [{table: public.t}]
                %s
                sink: {type: hdfs, uri: "%s", path: %s, %s, rollRecords: 3000, rollAgeMs: 2000}
                """.formatted(name, pg.port(), db, more, hdfs.uri(), base, sinkOptions));
        return dir;
    }

    /**
     * kill -9 of the JAR while it writes, then a restart: every committed change is in a published file, the parts
     * the dead process left open are recovered (not lost, not left behind), and the duplicates are counted.
     */
    @ParameterizedTest
    @ValueSource(strings = {"jsonl", "parquet"})
    void killNineMidStreamLosesNothing(String fileFormat) throws Exception {
        String name = "kill-" + fileFormat;
        String db = "hk" + fileFormat;
        int rows = 25_000;
        pg.createDatabase(db);
        pg.execute(db, "CREATE TABLE t (id int PRIMARY KEY, v text NOT NULL)");
        String base = "/tributary/" + name;
        java.nio.file.Path dir = incrementalPipeline(name, db, base, "", "fileFormat: " + fileFormat);
        int port = testsupport.KafkaBroker.freePort();
        Process first = TributaryJar.start(dir, port, name + "-first").process;
        Process second = null;
        try (FileSystem fs = hdfs.client()) {
            PipelineStatus.awaitRunning(port, name);
            java.util.concurrent.CompletableFuture<Void> writer = java.util.concurrent.CompletableFuture.runAsync(() -> {
                try (Connection c = pg.connect(db); PreparedStatement insert = c.prepareStatement("INSERT INTO t VALUES (?, 'row ' || ?)")) {
                    for (int id = 1; id <= rows; id++) {
                        insert.setInt(1, id);
                        insert.setInt(2, id);
                        insert.executeUpdate();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50)).until(() -> PipelineStatus.delivered(port, name) >= 5_000);
            long deliveredAtKill = PipelineStatus.delivered(port, name);
            first.destroyForcibly();
            assertTrue(first.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
            long leftOpen = PartFiles.list(fs, new Path(base)).stream().filter(p -> p.getName().endsWith(".inprogress")).count();
            long publishedBefore = PartFiles.readAll(fs, new Path(base), 2).size();

            second = TributaryJar.start(dir, port, name + "-second").process;
            PipelineStatus.awaitRunning(port, name);
            writer.get(180, java.util.concurrent.TimeUnit.SECONDS);
            java.util.Set<String> wanted = new java.util.HashSet<>();
            for (int id = 1; id <= rows; id++) {
                wanted.add(String.valueOf(id));
            }
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1)).until(() -> PartFiles.readAll(fs, new Path(base), 2)
                    .stream().map(r -> r.values().get("id")).collect(java.util.stream.Collectors.toSet()).containsAll(wanted));
            second.destroy(); // SIGTERM: the open parts are published on the way out
            assertTrue(second.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));

            List<Rec> records = PartFiles.readAll(fs, new Path(base), 2);
            long distinct = records.stream().map(r -> r.values().get("id")).distinct().count();
            List<Path> temporary = PartFiles.list(fs, new Path(base)).stream().filter(p -> p.getName().startsWith(".")).toList();
            System.out.printf("hdfs %s kill -9: %d rows; %d records published and %d parts open at the kill; after the restart %d records, "
                    + "%d distinct, lost %d, duplicates %d, temporary files left %d%n", fileFormat, rows, publishedBefore, leftOpen,
                    records.size(), distinct, rows - distinct, records.size() - distinct, temporary.size());
            assertEquals(rows, distinct, "lost changes");
            assertEquals(List.of(), temporary, "no temporary file is left behind");
            // a duplicate is a change the first run made durable: at most what it had delivered (plus the batch that may
            // have completed between that reading and the kill) — not a number of our choosing, which throughput moves
            assertTrue(records.size() - distinct <= deliveredAtKill + 2048, "duplicates beyond what the first run delivered");
        } finally {
            first.destroyForcibly();
            if (second != null) {
                second.destroyForcibly();
            }
            testsupport.Dirs.delete(dir);
        }
    }

    /**
     * The worst moments of a rolled part's publish, which runs in the background after its batch was acknowledged:
     * the JAR halts (as kill -9) just before the publish starts, and after the Parquet copy is under its final name but
     * before its staging file and in-progress entry are gone. After a restart every change is in a published file,
     * no temporary file is left, and nothing is published twice beyond the one batch that may be delivered again.
     */
    @ParameterizedTest
    @ValueSource(strings = {faults.FaultPoints.PART_PUBLISHING, faults.FaultPoints.PART_RENAMED})
    void aHaltWhileAPartIsPublishedLosesNothing(String point) throws Exception {
        String name = "halt-" + point;
        String db = "hh" + point.replace("-", "");
        int rows = 8_000;
        pg.createDatabase(db);
        pg.execute(db, "CREATE TABLE t (id int PRIMARY KEY, v text NOT NULL)");
        String base = "/tributary/" + name;
        java.nio.file.Path dir = incrementalPipeline(name, db, base, "batch: {maxEvents: 1000}", "fileFormat: parquet, partition: \"\"");
        int port = testsupport.KafkaBroker.freePort();
        try (FileSystem fs = hdfs.client()) {
            try (TributaryJar first = TributaryJar.start(dir, port, name + "-first", "-Dtributary.faults.halt=" + point + "@2")) {
                PipelineStatus.awaitRunning(port, name);
                for (int from = 1; from <= rows; from += 1000) { // transactions of 1,000: full batches, a roll every third
                    pg.execute(db, "INSERT INTO t SELECT g, 'row ' || g FROM generate_series(" + from + ", " + (from + 999) + ") g");
                }
                assertTrue(first.process.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "the JAR halts at " + point);
                assertEquals(137, first.process.exitValue());
            }
            List<Path> left = PartFiles.list(fs, new Path(base)).stream().filter(p -> p.getName().startsWith(".")).toList();
            assertFalse(left.isEmpty(), "the halt left a part to recover: " + left);
            try (TributaryJar second = TributaryJar.start(dir, port, name + "-second")) {
                PipelineStatus.awaitRunning(port, name);
                pg.execute(db, "INSERT INTO t VALUES (" + (rows + 1) + ", 'after the restart')");
                java.util.Set<String> wanted = new java.util.HashSet<>();
                for (int id = 1; id <= rows + 1; id++) {
                    wanted.add(String.valueOf(id));
                }
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() -> PartFiles.readAll(fs, new Path(base), 2)
                        .stream().map(r -> r.values().get("id")).collect(java.util.stream.Collectors.toSet()).containsAll(wanted));
                second.process.destroy(); // SIGTERM: the open part is published on the way out
                assertTrue(second.process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
            }
            List<Rec> records = PartFiles.readAll(fs, new Path(base), 2);
            long distinct = records.stream().map(r -> r.values().get("id")).distinct().count();
            List<Path> temporary = PartFiles.list(fs, new Path(base)).stream().filter(p -> p.getName().startsWith(".")).toList();
            System.out.printf("hdfs halt at %s: %d records after the restart, %d distinct, duplicates %d, temporary files left %d%n",
                    point, records.size(), distinct, records.size() - distinct, temporary.size());
            assertEquals(rows + 1, distinct, "lost changes");
            assertEquals(List.of(), temporary, "no temporary file is left behind");
            assertTrue(records.size() - distinct <= 1000, "published twice beyond the one batch delivered again: " + (records.size() - distinct));
        } finally {
            testsupport.Dirs.delete(dir);
        }
    }
}
