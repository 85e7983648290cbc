package sinks;

import testsupport.TributaryJar;
import testsupport.PipelineStatus;
import org.junit.jupiter.api.Test;
import testsupport.Postgres;
import testsupport.RunningTributary;
import testsupport.TestServers;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Random;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PostgreSQL → PostgreSQL through the JDBC sink: after a mixed workload the target equals the source, row by row. */
class PostgresToJdbcIT {

    final Postgres pg = TestServers.postgres();

    static String checksum(Postgres pg, String database, String table, String orderBy) throws Exception {
        try (Connection c = pg.connect(database); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY " + orderBy + ")), '-') FROM " + table + " t")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Two tables, every type, composite and single keys; 5,000 rows for the snapshot. */
    void createSourceTables(String database) throws Exception {
        pg.execute(database,
                "CREATE TABLE items (region text NOT NULL, id int NOT NULL, name varchar(40) NOT NULL, price numeric(12,2), "
                        + "ratio double precision, score real, qty bigint, small smallint, active boolean, photo bytea, day date, "
                        + "at_time time, created timestamp(6), created_tz timestamptz, attrs jsonb, uid uuid, PRIMARY KEY (region, id))",
                "CREATE TABLE counters (id int PRIMARY KEY, n int NOT NULL)",
                "INSERT INTO items SELECT CASE WHEN g % 2 = 0 THEN 'eu' ELSE 'us' END, g, '商品 ' || g, g * 1.25, g / 3.0, g / 7.0, "
                        + "g * 1000000000::bigint, (g % 100)::smallint, g % 3 = 0, decode(md5(g::text), 'hex'), DATE '2026-01-01' + g, "
                        + "TIME '10:15:30.123456' + g * INTERVAL '1 second', TIMESTAMP '2026-11-21 10:15:30.123456' + g * INTERVAL '1 minute', "
                        + "TIMESTAMPTZ '2026-11-21 10:15:30.5+02' + g * INTERVAL '1 hour', jsonb_build_object('g', g, 'tags', jsonb_build_array('a', g)), "
                        + "md5(g::text)::uuid FROM generate_series(1, 3000) g",
                "INSERT INTO counters SELECT g, 0 FROM generate_series(1, 2000) g");
    }

    /** 16,000 random updates, deletes, re-inserts and counter bumps, in transactions of 50; a column added half way. */
    int runWorkload(String database) throws Exception {
        Random random = new Random(42);
        int changes = 0;
        try (Connection c = pg.connect(database)) {
            c.setAutoCommit(false);
            PreparedStatement updateItem = c.prepareStatement("UPDATE items SET price = price + 0.01, name = name || '+', attrs = attrs || '{\"u\": true}' WHERE region = ? AND id = ?");
            PreparedStatement deleteItem = c.prepareStatement("DELETE FROM items WHERE region = ? AND id = ?");
            PreparedStatement reinsertItem = c.prepareStatement("INSERT INTO items (region, id, name, price) VALUES (?, ?, 'again', 1.00) ON CONFLICT DO NOTHING");
            PreparedStatement bump = c.prepareStatement("UPDATE counters SET n = n + 1 WHERE id = ?");
            for (int i = 0; i < 16_000; i++) {
                int id = 1 + random.nextInt(3000);
                String region = id % 2 == 0 ? "eu" : "us";
                int kind = random.nextInt(10);
                PreparedStatement st = kind < 4 ? updateItem : kind < 6 ? deleteItem : kind < 7 ? reinsertItem : bump;
                if (st == bump) {
                st.setInt(1, 1 + random.nextInt(2000));
                } else {
                st.setString(1, region);
                st.setInt(2, id);
                }
                changes += st.executeUpdate();
                if (i % 50 == 49) {
                c.commit();
                }
                if (i == 3000) { // the server describes items again (a Relation message), unchanged: the connector keeps its table
                c.commit();
                try (Statement ddl = c.createStatement()) {
                    ddl.execute("ALTER TABLE items ALTER COLUMN name SET STATISTICS 200");
                }
                c.commit();
                }
                if (i == 6000) {
                c.commit();
                try (Statement ddl = c.createStatement()) {
                    ddl.execute("ALTER TABLE counters ADD COLUMN note text");
                }
                c.commit();
                bump = c.prepareStatement("UPDATE counters SET n = n + 1, note = 'touched ' || n WHERE id = ?");
                }
            }
            c.commit();
        }
        return changes;
    }

    @Test
    void theTargetEqualsTheSourceAfterAMixedWorkloadWithEveryTypeAndANewColumn() throws Exception {
        pg.createDatabase("jsrc");
        pg.createDatabase("jdst");
        createSourceTables("jsrc");
        String file = """
                pipeline: to-pg
                source: {type: postgres, host: localhost, port: %d, database: jsrc, user: postgres, password: pw}
                mode: full-and-incremental
                objects:
                  - table: public.items
                  - table: public.counters
                    target: public.counters_copy
                sink: {type: jdbc, url: "jdbc:postgresql://localhost:%d/jdst", user: postgres, password: pw, autoCreate: true, autoEvolve: true, batchSize: 500}
                """.formatted(pg.port(), pg.port());
        try (RunningTributary t = new RunningTributary(file)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> t.get("/api/pipelines/to-pg").body().contains("\"state\":\"RUNNING\""));
            int changes = runWorkload("jsrc");
            System.out.printf("jdbc sink: %d source changes after a snapshot of 5,000 rows%n", changes);
            String sourceItems = checksum(pg, "jsrc", "items", "region, id");
            String sourceCounters = checksum(pg, "jsrc", "counters", "id");
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() ->
                    checksum(pg, "jdst", "items", "region, id").equals(sourceItems)
                            && checksum(pg, "jdst", "counters_copy", "id").equals(sourceCounters));
            assertEquals(sourceItems, checksum(pg, "jdst", "items", "region, id"));
            assertEquals(sourceCounters, checksum(pg, "jdst", "counters_copy", "id"), "the added column arrived with its values");
        }
    }

    @Test
    void killNineMidStreamLeavesTheTargetEqualWithoutDuplicates() throws Exception {
        pg.createDatabase("ksrc");
        pg.createDatabase("kdst");
        pg.execute("ksrc", "CREATE TABLE t (id int PRIMARY KEY, v text NOT NULL, n int NOT NULL)");
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("tributary-jdbc-kill");
        java.nio.file.Files.createDirectories(dir.resolve("pipelines"));
        java.nio.file.Files.writeString(dir.resolve("pipelines/kill-jdbc.yaml"), """
                pipeline: kill-jdbc
                source: {type: postgres, host: localhost, port: %d, database: ksrc, user: postgres, password: pw}
                mode: incremental
                objects: [{table: public.t}]
                sink: {type: jdbc, url: "jdbc:postgresql://localhost:%d/kdst", user: postgres, password: pw, autoCreate: true}
                """.formatted(pg.port(), pg.port()));
        int port = testsupport.KafkaBroker.freePort();
        Process first = TributaryJar.start(dir, port, "jdbc-first").process;
        Process second = null;
        try {
            PipelineStatus.awaitRunning(port, "kill-jdbc");
            java.util.concurrent.CompletableFuture<Void> writer = java.util.concurrent.CompletableFuture.runAsync(() -> {
                try (Connection c = pg.connect("ksrc");
                     PreparedStatement insert = c.prepareStatement("INSERT INTO t VALUES (?, 'row ' || ?, 0)");
                     PreparedStatement update = c.prepareStatement("UPDATE t SET n = n + 1 WHERE id = ?")) {
                    for (int id = 1; id <= 20_000; id++) {
                        insert.setInt(1, id);
                        insert.setInt(2, id);
                        insert.executeUpdate();
                        if (id % 4 == 0) {
                            update.setInt(1, id - 2);
                            update.executeUpdate();
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50)).until(() -> PipelineStatus.delivered(port, "kill-jdbc") >= 4_000);
            first.destroyForcibly();
            first.waitFor();
            second = TributaryJar.start(dir, port, "jdbc-second").process;
            PipelineStatus.awaitRunning(port, "kill-jdbc");
            writer.get();
            String source = checksum(pg, "ksrc", "t", "id");
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() -> checksum(pg, "kdst", "t", "id").equals(source));
            System.out.printf("jdbc kill -9 resume: 25,000 changes; target %s equals source (rows:md5), no duplicate rows%n", source.substring(0, source.indexOf(':')));
        } finally {
            first.destroyForcibly();
            if (second != null) {
                second.destroy();
                second.waitFor();
            }
            testsupport.Dirs.delete(dir);
        }
    }

    @Test
    void rowsTheTargetRefusesGoToTheDeadLetterTableWithTheirCause() throws Exception {
        pg.createDatabase("dsrc");
        pg.createDatabase("ddst");
        pg.execute("dsrc", "CREATE TABLE d (id int PRIMARY KEY, n int NOT NULL)");
        pg.execute("ddst", "CREATE TABLE d (id int PRIMARY KEY, n int NOT NULL CHECK (n < 100))"); // stricter than the source
        String file = """
                pipeline: dead-letters
                source: {type: postgres, host: localhost, port: %d, database: dsrc, user: postgres, password: pw}
                mode: incremental
                objects: [{table: public.d}]
                sink: {type: jdbc, url: "jdbc:postgresql://localhost:%d/ddst", user: postgres, password: pw}
                errors: {retries: 5, retryDelayMs: 100}
                """.formatted(pg.port(), pg.port());
        try (RunningTributary t = new RunningTributary(file)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> t.get("/api/pipelines/dead-letters").body().contains("\"state\":\"RUNNING\""));
            pg.execute("dsrc", "INSERT INTO d SELECT g, g % 150 FROM generate_series(1, 200) g"); // 50 rows with n >= 100
            await().atMost(Duration.ofSeconds(60)).until(() -> count(pg, "ddst", "d") == 150 && count(pg, "ddst", "tributary_dead_letter") == 50);
            pg.execute("dsrc", "UPDATE d SET n = 1 WHERE id = 1");
            await().atMost(Duration.ofSeconds(30)).until(() -> count(pg, "ddst", "d WHERE id = 1 AND n = 1") == 1);
            try (Connection c = pg.connect("ddst"); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT pipeline, source_table, target_table, op, source_position, row_json, error FROM tributary_dead_letter ORDER BY row_json LIMIT 1")) {
                rs.next();
                assertEquals("dead-letters", rs.getString(1));
                assertEquals("public.d", rs.getString(2));
                assertEquals("d", rs.getString(3));
                assertEquals("c", rs.getString(4));
                assertTrue(Long.parseLong(rs.getString(5)) > 0, "the source position");
                assertTrue(rs.getString(6).startsWith("{\"id\":1"), rs.getString(6));
                assertTrue(rs.getString(7).startsWith("23514") && rs.getString(7).contains("d_n_check"), rs.getString(7));
            }
            String status = t.get("/api/pipelines/dead-letters").body();
            assertTrue(status.contains("\"state\":\"RUNNING\"") && status.contains("\"deadLettered\":50"), status);
        }
    }

    static long count(Postgres pg, String database, String from) {
        try (Connection c = pg.connect(database); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM " + from)) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            return -1; // not there yet
        }
    }

    @Test
    void tablesWithoutAPrimaryKeyFailClearlyOrAreInsertOnly() throws Exception {
        pg.createDatabase("nsrc");
        pg.createDatabase("ndst");
        pg.createDatabase("ndst2");
        pg.execute("nsrc", "CREATE TABLE log (at int NOT NULL, msg text)", "ALTER TABLE log REPLICA IDENTITY FULL"); // PostgreSQL refuses updates otherwise
        String file = """
                pipeline: no-key
                source: {type: postgres, host: localhost, port: %d, database: nsrc, user: postgres, password: pw}
                mode: incremental
                objects: [{table: public.log}]
                sink: {type: jdbc, url: "jdbc:postgresql://localhost:%d/ndst", user: postgres, password: pw, autoCreate: true, noPrimaryKey: insert}
                errors: {retries: 0, retryDelayMs: 100}
                """.formatted(pg.port(), pg.port());
        try (RunningTributary t = new RunningTributary(file, file.replace("pipeline: no-key", "pipeline: no-key-fail")
                .replace(", noPrimaryKey: insert", "").replace("ndst", "ndst2"))) {
            // the choice 'fail' is checked against the source's catalog before a change is read
            await().atMost(Duration.ofSeconds(60)).until(() -> t.get("/api/pipelines/no-key").body().contains("\"state\":\"RUNNING\"")
                    && t.get("/api/pipelines/no-key-fail").body().contains("\"state\":\"FAILED\""));
            String failed = t.get("/api/pipelines/no-key-fail").body();
            assertTrue(failed.contains("table public.log has no primary key") && failed.contains("sink.noPrimaryKey: insert"), failed);
            assertTrue(failed.contains("\"in\":0"), failed);
            pg.execute("nsrc", "INSERT INTO log SELECT g, 'line ' || g FROM generate_series(1, 100) g", "UPDATE log SET msg = 'x' WHERE at = 1");
            await().atMost(Duration.ofSeconds(60)).until(() -> count(pg, "ndst", "log") == 100
                    && t.get("/api/pipelines/no-key").body().contains("\"filtered\":1"));
            assertEquals(-1, count(pg, "ndst2", "log"), "the failed pipeline created nothing");
        }
    }

    @Test
    void batchesKeepTheirConfiguredBound() throws Exception {
        pg.createDatabase("bsrc");
        pg.createDatabase("bdst");
        pg.execute("bsrc", "CREATE TABLE t (id int PRIMARY KEY, v text)");
        String file = """
                pipeline: bounded
                source: {type: postgres, host: localhost, port: %d, database: bsrc, user: postgres, password: pw}
                mode: incremental
                objects: [{table: public.t}]
                batch: {maxEvents: 100, maxWaitMs: 50}
                sink: {type: jdbc, url: "jdbc:postgresql://localhost:%d/bdst", user: postgres, password: pw, autoCreate: true}
                """.formatted(pg.port(), pg.port());
        try (RunningTributary t = new RunningTributary(file)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> t.get("/api/pipelines/bounded").body().contains("\"state\":\"RUNNING\""));
            pg.execute("bsrc", "INSERT INTO t SELECT g, 'v' || g FROM generate_series(1, 1000) g"); // one transaction
            await().atMost(Duration.ofSeconds(60)).until(() -> count(pg, "bdst", "t") == 1000);
            String status = t.get("/api/pipelines/bounded").body();
            long largest = Long.parseLong(status.replaceAll(".*\"largestBatch\":(\\d+).*", "$1"));
            long batches = Long.parseLong(status.replaceAll(".*\"batchesCommitted\":(\\d+).*", "$1"));
            assertTrue(largest > 0 && largest <= 100 && batches >= 10, status);
        }
    }
}
