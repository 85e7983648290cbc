package snapshots;

import org.junit.jupiter.api.Test;
import testsupport.Dirs;
import testsupport.KafkaBroker;
import testsupport.KeyedReplay;
import testsupport.MariaDb;
import testsupport.Postgres;
import testsupport.TestServers;
import testsupport.Topics;
import testsupport.TributaryJar;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A snapshot taken again after a crash must leave the destination equal to the source. The JAR halts (as kill -9
 * would) at the worst moment — the snapshot's last batch acknowledged by Kafka, the snapshot's end not yet committed —
 * so the restart takes the snapshot again; meanwhile 200 rows are deleted, 200 updated and 100 inserted. Replayed per
 * key, the topic must hold exactly the table: no deleted row alive, none lost, every value current.
 */
class SnapshotRetakeIT {

    static final int ROWS = 2_000;
    static final List<String> COLUMNS = List.of("id", "v", "n");
    final String kafka = TestServers.kafka().bootstrap();

    @Test
    void postgresRetakeConverges() throws Exception {
        Postgres pg = postgresTable("retakepg");
        retakeConverges("retakepg", """
                source: {type: postgres, host: localhost, port: %d, database: retakepg, user: postgres, password: pw}
                objects: [{table: public.t, topic: retake.pg}]
                """.formatted(pg.port()), "retake.pg", () -> pg.connect("retakepg"));
    }

    @Test
    void postgresParallelRetakeConverges() throws Exception {
        Postgres pg = postgresTable("retakepar");
        retakeConverges("retakepar", """
                source: {type: postgres, host: localhost, port: %d, database: retakepar, user: postgres, password: pw}
                snapshot: {threads: 2, chunkRows: 1000}
                objects: [{table: public.t, topic: retake.par}]
                """.formatted(pg.port()), "retake.par", () -> pg.connect("retakepar"));
    }

    /** The parallel snapshot of an exported route (its bean configured from the cdc: endpoint) halted at the same moment. */
    @Test
    void postgresExportedParallelRouteRetakeConverges() throws Exception {
        Postgres pg = postgresTable("retakeparroute");
        retakeConverges("retakeparroute", """
                source: {type: postgres, host: localhost, port: %d, database: retakeparroute, user: postgres, password: pw}
                snapshot: {threads: 2, chunkRows: 1000}
                objects: [{table: public.t, topic: retake.parroute}]
                """.formatted(pg.port()), "retake.parroute", () -> pg.connect("retakeparroute"), "full-and-incremental", true);
    }

    /** mode full: the snapshot taken again after the crash converges too, and the pipeline ends SUCCESS. */
    @Test
    void postgresModeFullRetakeConverges() throws Exception {
        Postgres pg = postgresTable("retakefull");
        retakeConverges("retakefull", """
                source: {type: postgres, host: localhost, port: %d, database: retakefull, user: postgres, password: pw}
                objects: [{table: public.t, topic: retake.full}]
                """.formatted(pg.port()), "retake.full", () -> pg.connect("retakefull"), "full");
    }

    /**
     * The same pipeline exported as a Camel route ({@code routes export}) and run from the routes folder: the halt at
     * the worst moment and the retake converge as they do for the pipeline.
     */
    @Test
    void postgresExportedRouteRetakeConverges() throws Exception {
        Postgres pg = postgresTable("retakeroute");
        retakeConverges("retakeroute", """
                source: {type: postgres, host: localhost, port: %d, database: retakeroute, user: postgres, password: pw}
                objects: [{table: public.t, topic: retake.route}]
                """.formatted(pg.port()), "retake.route", () -> pg.connect("retakeroute"), "full-and-incremental", true);
    }

    @Test
    void mariaDbRetakeConverges() throws Exception {
        MariaDb maria = TestServers.mariadb();
        maria.createDatabase("retakem");
        maria.execute("retakem", "CREATE TABLE t (id int PRIMARY KEY, v varchar(40) NOT NULL, n int NOT NULL)",
                "INSERT INTO t SELECT seq, concat('row ', seq), 0 FROM seq_1_to_" + ROWS);
        retakeConverges("retakem", """
                source: {type: mariadb, host: 127.0.0.1, port: %d, user: %s, password: %s}
                objects: [{table: retakem.t, topic: retake.maria}]
                """.formatted(maria.port(), MariaDb.USER, MariaDb.PASSWORD), "retake.maria", () -> maria.connect("retakem"));
    }

    /** The MariaDB parallel snapshot halted at the same moment: its binlog position is not stored yet, so it is taken again. */
    @Test
    void mariaDbParallelRetakeConverges() throws Exception {
        MariaDb maria = TestServers.mariadb();
        maria.createDatabase("retakemp");
        maria.execute("retakemp", "CREATE TABLE t (id int PRIMARY KEY, v varchar(40) NOT NULL, n int NOT NULL)",
                "INSERT INTO t SELECT seq, concat('row ', seq), 0 FROM seq_1_to_" + ROWS, "ANALYZE TABLE t");
        retakeConverges("retakemp", """
                source: {type: mariadb, host: 127.0.0.1, port: %d, user: %s, password: %s}
                snapshot: {threads: 2, chunkRows: 1000}
                objects: [{table: retakemp.t, topic: retake.mariapar}]
                """.formatted(maria.port(), MariaDb.USER, MariaDb.PASSWORD), "retake.mariapar", () -> maria.connect("retakemp"));
    }

    /** A new database on the test PostgreSQL with table t of {@link #ROWS} rows. */
    private static Postgres postgresTable(String database) throws SQLException {
        Postgres pg = TestServers.postgres();
        pg.createDatabase(database);
        pg.execute(database, "CREATE TABLE t (id int PRIMARY KEY, v text NOT NULL, n int NOT NULL)",
                "INSERT INTO t SELECT g, 'row ' || g, 0 FROM generate_series(1, " + ROWS + ") g");
        return pg;
    }

    interface Connector {
        Connection connect() throws SQLException;
    }

    private void retakeConverges(String name, String sourceAndObjects, String topic, Connector db) throws Exception {
        retakeConverges(name, sourceAndObjects, topic, db, "full-and-incremental");
    }

    private void retakeConverges(String name, String sourceAndObjects, String topic, Connector db, String mode) throws Exception {
        retakeConverges(name, sourceAndObjects, topic, db, mode, false);
    }

    /** @param asRoute the pipeline file runs as the Camel route {@code routes export} writes, not as a pipeline */
    private void retakeConverges(String name, String sourceAndObjects, String topic, Connector db, String mode, boolean asRoute)
            throws Exception {
        Path dir = Files.createTempDirectory("tributary-" + name);
        for (String d : List.of("pipelines", "routes", "export")) {
            Files.createDirectories(dir.resolve(d));
        }
        Path file = dir.resolve(asRoute ? "export" : "pipelines").resolve(name + ".yaml");
        Files.writeString(file, "pipeline: " + name + "\nmode: " + mode + "\n"
                + sourceAndObjects + "format: debezium\nbatch: {maxEvents: 500}\nsink: {type: kafka, brokers: \"" + kafka + "\"}\n");
        String password = "-D" + name + ".source.password=pw"; // the exported route reads the literal secret from a property
        if (asRoute) {
            Files.writeString(dir.resolve("routes").resolve(name + ".camel.yaml"), TributaryJar.export(file, dir.resolve("data")));
        }
        int port = KafkaBroker.freePort();
        try (TributaryJar first = TributaryJar.start(dir, port, name + "-first", password, "-Dtributary.faults.halt=snapshot-end-acked")) {
            assertEquals(137, first.awaitExit(Duration.ofSeconds(120)), "halted once the snapshot's end was acknowledged");
        }
        assertTrue(Topics.readAtLeast(kafka, topic, ROWS, Duration.ofSeconds(30)).size() >= ROWS, "the first snapshot was delivered");
        Path state = dir.resolve("data").resolve(name);
        List<Map<String, Object>> offsets = sources.AtomicFileOffsetStore.storedOffsets(state.resolve("offsets.dat"));
        System.out.println(name + ": offsets after the halt " + offsets + ", snapshot.done " + Files.exists(state.resolve("snapshot.done")));
        assertTrue(!Files.exists(state.resolve("snapshot.done")) && offsets.stream().allMatch(o -> o.containsKey("snapshot")
                && !Boolean.TRUE.equals(o.get("last_snapshot_record"))), "the snapshot's end is not committed: the restart takes it again");
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.executeUpdate("DELETE FROM t WHERE id % 10 = 0");
            st.executeUpdate("UPDATE t SET n = 1, v = 'updated' WHERE id % 10 = 1");
            for (int id = ROWS + 1; id <= ROWS + 100; id++) {
                st.executeUpdate("INSERT INTO t VALUES (" + id + ", 'new', 2)");
            }
        }
        Map<String, Map<String, String>> source = sourceRows(db);
        assertEquals(ROWS - ROWS / 10 + 100, source.size());
        try (TributaryJar second = TributaryJar.start(dir, port, name + "-second", password)) {
            // a route has no pipeline status: for it, the topic converging below is the proof
            if (!asRoute && mode.equals("full")) {
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                        .until(() -> "SUCCESS".equals(second.status(name).path("state").asText()));
            } else if (!asRoute) {
                second.awaitRunning(name);
            }
            KeyedReplay.Diff[] diff = new KeyedReplay.Diff[1];
            Topics.readUntil(kafka, topic, records -> {
                diff[0] = KeyedReplay.compare(source, KeyedReplay.debeziumTopic(records, COLUMNS));
                return diff[0].empty();
            }, Duration.ofSeconds(90));
            assertTrue(diff[0].empty(), "topic replayed per key vs the table: " + diff[0]);
        } finally {
            Dirs.delete(dir);
        }
    }

    private static Map<String, Map<String, String>> sourceRows(Connector db) throws SQLException {
        Map<String, Map<String, String>> rows = new TreeMap<>();
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id, v, n FROM t")) {
            while (rs.next()) {
                Map<String, String> row = new TreeMap<>();
                row.put("id", rs.getString(1));
                row.put("v", rs.getString(2));
                row.put("n", rs.getString(3));
                rows.put("{\"id\":" + rs.getInt(1) + "}", row);
            }
        }
        return rows;
    }
}
