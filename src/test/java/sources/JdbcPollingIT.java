package sources;

import testsupport.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import testsupport.MariaDb;
import testsupport.Postgres;
import testsupport.RunningTributary;
import testsupport.TestServers;
import testsupport.Topics;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JDBC polling source against real databases, with writers running while it polls. */
class JdbcPollingIT {

    final Postgres pg = TestServers.postgres();
    final String kafka = TestServers.kafka().bootstrap();

    static String pipeline(String name, String url, String user, String mode, String table, String pollKeys, String topic) {
        return """
                pipeline: %s
                source: {type: jdbc, url: "%s", user: %s, password: pw, pollIntervalMs: 200, delayMs: 2000}
                mode: %s
                objects:
                  - {table: %s, topic: %s, %s}
                sink: {type: kafka, brokers: "%s"}
                """.formatted(name, url, user, mode, table, topic, pollKeys, TestServers.kafka().bootstrap());
    }

    /** Reads a topic until the last value per id equals {@code expected}; returns the last values seen. */
    static Map<Integer, String> lastValues(String kafka, String topic, Map<Integer, String> expected) {
        Map<Integer, String> last = new HashMap<>();
        int[] seen = {0};
        Topics.readUntil(kafka, topic, records -> {
            for (ConsumerRecord<String, String> r : records.subList(seen[0], records.size())) {
                JsonNode e = Json.json(r);
                last.put(e.at("/after/id").asInt(), e.at("/after/v").asText());
            }
            seen[0] = records.size();
            return last.equals(expected);
        }, Duration.ofSeconds(60));
        return last;
    }

    static Map<Integer, String> rows(Connection c, String table) throws Exception {
        Map<Integer, String> rows = new HashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id, v FROM " + table)) {
            while (rs.next()) {
                rows.put(rs.getInt(1), rs.getString(2));
            }
        }
        return rows;
    }

    /**
     * A row whose transaction commits after a higher id's: {@code incrementing} passes it for ever (the documented
     * trap), {@code timestamp+incrementing} with a delay longer than the transaction does not — while two writers insert
     * and update, every row's last value arrives.
     */
    @Test
    void timestampPlusIncrementingMissesNoLateCommitWhereIncrementingDoes() throws Exception {
        pg.createDatabase("poll1");
        pg.execute("poll1", "CREATE TABLE t (id int PRIMARY KEY, v text NOT NULL, updated_at timestamp(6) NOT NULL DEFAULT clock_timestamp())",
                "INSERT INTO t SELECT g, 'old ' || g, clock_timestamp() - INTERVAL '1 hour' FROM generate_series(1, 100) g");
        String url = pg.jdbcUrl("poll1");
        try (RunningTributary t = new RunningTributary(
                pipeline("poll-ts", url, "postgres", "full-and-incremental", "public.t",
                        "pollMode: timestamp+incrementing, incrementingColumn: id, timestampColumn: updated_at", "poll.ts"),
                pipeline("poll-inc", url, "postgres", "full-and-incremental", "public.t",
                        "pollMode: incrementing, incrementingColumn: id", "poll.inc"))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> t.get("/api/pipelines/poll-ts").body().contains("\"state\":\"RUNNING\"")
                    && t.get("/api/pipelines/poll-inc").body().contains("\"state\":\"RUNNING\""));
            // the late commit: 1000 is inserted first, 1001 commits first
            try (Connection late = pg.connect("poll1"); Connection early = pg.connect("poll1")) {
                late.setAutoCommit(false);
                try (Statement st = late.createStatement()) {
                    st.execute("INSERT INTO t (id, v) VALUES (1000, 'late')");
                }
                try (Statement st = early.createStatement()) {
                    st.execute("INSERT INTO t (id, v) VALUES (1001, 'early')");
                }
                Thread.sleep(1_000); // the incrementing poller reads 1001 meanwhile
                late.commit();
            }
            CompletableFuture<Void> inserts = CompletableFuture.runAsync(() -> write(url, "INSERT INTO t (id, v) VALUES (?, 'new')", 2000, 400));
            CompletableFuture<Void> updates = CompletableFuture.runAsync(() ->
                    write(url, "UPDATE t SET v = 'updated', updated_at = clock_timestamp() WHERE id = ?", 1, 100));
            CompletableFuture.allOf(inserts, updates).get();

            Map<Integer, String> expected;
            try (Connection c = pg.connect("poll1")) {
                expected = rows(c, "t");
            }
            assertEquals(expected, lastValues(kafka, "poll.ts", expected), "timestamp+incrementing: every row, last value last");
            Set<Integer> incrementing = Topics.readUntil(kafka, "poll.inc", r -> false, Duration.ofSeconds(3)).stream()
                    .map(r -> Json.json(r).at("/after/id").asInt()).collect(Collectors.toSet());
            assertTrue(incrementing.contains(1001) && incrementing.contains(2399), "incrementing reads new ids");
            assertFalse(incrementing.contains(1000), "incrementing alone passes a late-committing lower id (the documented trap)");
        }
    }

    private static void write(String url, String sql, int firstId, int count) {
        write(url, Postgres.USER, Postgres.PASSWORD, sql, firstId, count);
    }

    private static void write(String url, String user, String password, String sql, int firstId, int count) {
        try (Connection c = java.sql.DriverManager.getConnection(url, user, password);
             PreparedStatement st = c.prepareStatement(sql)) {
            for (int id = firstId; id < firstId + count; id++) {
                st.setInt(1, id);
                st.executeUpdate();
                if (id % 50 == 0) {
                    Thread.sleep(20);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * MariaDB, mode full in bulk: every row once, then SUCCESS. Then incrementing with a stop and start in between: the
     * watermark saved after each acknowledged batch means the restart neither repeats nor skips a row.
     */
    @Test
    void mariaDbBulkEndsInSuccessAndIncrementingResumesFromItsWatermark() throws Exception {
        MariaDb maria = TestServers.mariadb();
        maria.createDatabase("polldb");
        maria.execute("polldb", "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(30) NOT NULL, price DECIMAL(10,2), at DATETIME(6)) DEFAULT CHARSET=utf8mb4",
                "INSERT INTO t SELECT seq, CONCAT('行 ', seq), seq / 4, '2026-11-22 10:00:00.5' FROM seq_1_to_5000");
        String url = maria.jdbcUrl("polldb");
        try (RunningTributary t = new RunningTributary(
                pipeline("maria-bulk", url, MariaDb.USER, "full", "polldb.t", "pollMode: bulk", "pollm.bulk"),
                pipeline("maria-inc", url, MariaDb.USER, "full-and-incremental", "polldb.t",
                        "pollMode: incrementing, incrementingColumn: id", "pollm.inc"))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> t.get("/api/pipelines/maria-bulk").body().contains("\"state\":\"SUCCESS\""));
            List<ConsumerRecord<String, String>> bulk = Topics.readUntil(kafka, "pollm.bulk", r -> false, Duration.ofSeconds(3));
            assertEquals(5000, bulk.size());
            ConsumerRecord<String, String> one = bulk.stream().filter(r -> r.key().equals("{\"id\":1}")).findFirst().orElseThrow();
            JsonNode first = Json.json(one);
            assertEquals("r", first.get("op").asText());
            assertEquals("行 1", first.at("/after/v").asText());
            assertEquals("0.25", first.at("/after/price").decimalValue().toPlainString());
            assertEquals("2026-11-22T10:00:00.5", first.at("/after/at").asText());
            assertEquals(5000, bulk.stream().map(ConsumerRecord::key).distinct().count(), "keyed by the table's primary key");

            await().atMost(Duration.ofSeconds(60)).until(() -> Topics.readUntil(kafka, "pollm.inc", r -> r.size() >= 5000,
                    Duration.ofSeconds(5)).size() >= 5000);
            assertEquals(200, t.post("/api/pipelines/maria-inc/stop").statusCode());
            maria.execute("polldb", "INSERT INTO t SELECT seq, 'while stopped', 1, NULL FROM seq_5001_to_5100");
            assertEquals(200, t.post("/api/pipelines/maria-inc/start").statusCode());
            maria.execute("polldb", "INSERT INTO t SELECT seq, 'after the restart', 2, NULL FROM seq_5101_to_5200");
            List<ConsumerRecord<String, String>> incremental = Topics.readUntil(kafka, "pollm.inc", r -> r.size() >= 5200, Duration.ofSeconds(60));
            Thread.sleep(1_000);
            incremental = Topics.readUntil(kafka, "pollm.inc", r -> false, Duration.ofSeconds(3));
            assertEquals(5200, incremental.size(), "every row once across the stop");
            assertEquals(5200, incremental.stream().map(ConsumerRecord::key).distinct().count());
        }
    }

    /** MariaDB, pollMode timestamp (a last-modified column the server maintains), while a writer inserts and updates. */
    @Test
    void mariaDbTimestampModeFollowsInsertsAndUpdates() throws Exception {
        MariaDb maria = TestServers.mariadb();
        maria.createDatabase("pollts");
        maria.execute("pollts", "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(30) NOT NULL, "
                + "updated_at DATETIME(6) NOT NULL DEFAULT NOW(6) ON UPDATE NOW(6)) DEFAULT CHARSET=utf8mb4");
        String url = maria.jdbcUrl("pollts");
        try (RunningTributary t = new RunningTributary(pipeline("maria-ts-poll", url, MariaDb.USER, "full-and-incremental", "pollts.t",
                "pollMode: timestamp, timestampColumn: updated_at", "pollm.ts"))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> t.get("/api/pipelines/maria-ts-poll").body().contains("\"state\":\"RUNNING\""));
            try (Connection c = maria.connect("pollts"); PreparedStatement insert = c.prepareStatement("INSERT INTO t (id, v) VALUES (?, ?)");
                 PreparedStatement update = c.prepareStatement("UPDATE t SET v = CONCAT(v, '+') WHERE id = ?")) {
                for (int id = 1; id <= 300; id++) {
                    insert.setInt(1, id);
                    insert.setString(2, "新 " + id);
                    insert.executeUpdate();
                    if (id % 3 == 0) {
                        update.setInt(1, id / 2);
                        update.executeUpdate();
                    }
                    if (id % 50 == 0) {
                        Thread.sleep(300);
                    }
                }
            }
            Map<Integer, String> expected;
            try (Connection c = maria.connect("pollts")) {
                expected = rows(c, "t");
            }
            assertEquals(expected, lastValues(kafka, "pollm.ts", expected), "every row's last value");
        }
    }

    /** The rest of the mode matrix, each while two writers insert and (where the mode can see it) update. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"postgres,timestamp", "mariadb,timestamp+incrementing", "mariadb,incrementing"})
    void everyModeFollowsConcurrentWriters(String database, String pollMode) throws Exception {
        boolean pgSide = database.equals("postgres");
        String db = ("mx_" + database + "_" + pollMode).replace("+", "_");
        MariaDb maria = pgSide ? null : TestServers.mariadb();
        String stamp = pgSide ? "updated_at timestamp(6) NOT NULL DEFAULT clock_timestamp()"
                : "updated_at DATETIME(6) NOT NULL DEFAULT NOW(6) ON UPDATE NOW(6)";
        String create = "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(40) NOT NULL, " + stamp + ")";
        if (pgSide) {
            pg.createDatabase(db);
            pg.execute(db, create, "INSERT INTO t (id, v) SELECT g, 'old' FROM generate_series(1, 200) g");
        } else {
            maria.createDatabase(db);
            maria.execute(db, create, "INSERT INTO t (id, v) SELECT seq, 'old' FROM seq_1_to_200");
        }
        String url = pgSide ? pg.jdbcUrl(db) : maria.jdbcUrl(db);
        String user = pgSide ? "postgres" : MariaDb.USER;
        String keys = switch (pollMode) {
            case "incrementing" -> "pollMode: incrementing, incrementingColumn: id";
            case "timestamp" -> "pollMode: timestamp, timestampColumn: updated_at";
            default -> "pollMode: timestamp+incrementing, incrementingColumn: id, timestampColumn: updated_at";
        };
        String topic = "mx." + db;
        try (RunningTributary t = new RunningTributary(pipeline(db.replace('_', '-'), url, user, "full-and-incremental", (pgSide ? "public" : db) + ".t", keys, topic))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> t.get("/api/pipelines/" + db.replace('_', '-')).body().contains("\"state\":\"RUNNING\""));
            String password = pgSide ? Postgres.PASSWORD : MariaDb.PASSWORD;
            String touch = pgSide ? ", updated_at = clock_timestamp()" : "";
            CompletableFuture<Void> inserts = CompletableFuture.runAsync(() -> write(url, user, password, "INSERT INTO t (id, v) VALUES (?, 'new')", 1000, 300));
            CompletableFuture<Void> updates = pollMode.equals("incrementing") ? CompletableFuture.completedFuture(null)
                    : CompletableFuture.runAsync(() -> write(url, user, password, "UPDATE t SET v = 'updated'" + touch + " WHERE id = ?", 1, 150));
            CompletableFuture.allOf(inserts, updates).get();
            Map<Integer, String> expected;
            try (Connection c = java.sql.DriverManager.getConnection(url, user, password)) {
                expected = rows(c, "t");
            }
            assertEquals(expected, lastValues(kafka, topic, expected), pollMode + " on " + database + ": every row's last value");
        }
    }

    /** PostgreSQL bulk in mode full: every row once, typed, then SUCCESS. */
    @Test
    void postgresBulkEndsInSuccessWithEveryRow() throws Exception {
        pg.createDatabase("pollbulk");
        pg.execute("pollbulk", "CREATE TABLE t (id int PRIMARY KEY, v text NOT NULL, price numeric(8,2), at timestamptz)",
                "INSERT INTO t SELECT g, 'row ' || g, g / 4.0, TIMESTAMPTZ '2026-11-22 10:00:00+02' FROM generate_series(1, 3000) g");
        try (RunningTributary t = new RunningTributary(pipeline("pg-bulk", pg.jdbcUrl("pollbulk"), "postgres", "full", "public.t",
                "pollMode: bulk", "pollp.bulk"))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> t.get("/api/pipelines/pg-bulk").body().contains("\"state\":\"SUCCESS\""));
            List<ConsumerRecord<String, String>> records = Topics.readUntil(kafka, "pollp.bulk", r -> false, Duration.ofSeconds(3));
            assertEquals(3000, records.size());
            assertEquals(3000, records.stream().map(ConsumerRecord::key).distinct().count());
            JsonNode one = Json.json(records.stream().filter(r -> r.key().equals("{\"id\":2}")).findFirst().orElseThrow());
            assertEquals("0.50", one.at("/after/price").decimalValue().toPlainString());
            assertEquals("2026-11-22T08:00:00Z", one.at("/after/at").asText(), "timestamptz as the instant, like the log-based source");
            String status = t.get("/api/pipelines/pg-bulk").body();
            assertTrue(status.contains("\"snapshot\":{\"running\":false,\"completed\":true,\"tables\":1,\"tablesRemaining\":0,\"rowsRead\":3000}"), status);
        }
    }
}
