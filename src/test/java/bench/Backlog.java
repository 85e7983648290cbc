package bench;

import com.fasterxml.jackson.databind.JsonNode;
import testsupport.KafkaBroker;
import testsupport.Postgres;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Tributary as users run it: the fat JAR in its own JVM with no settings of ours, Kafka in its own JVM, PostgreSQL in
 * its own processes. A backlog is written while the pipeline is paused (or the process is down), then timed from
 * {@code resume} (or from its first change after a restart: the cold JVM) until {@code events.out} covers it. Beside
 * it, the floor: {@code pg_recvlogical} (test_decoding) draining the same WAL from its own slot, as fast as PostgreSQL
 * decodes it. Two transaction shapes: 1,000 inserts + 1,000 updates per transaction, and one row per transaction.
 */
final class Backlog {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** The table: bigint key, int, text(32), numeric(12,2), timestamptz. */
    static final String TABLE = "CREATE TABLE bl (id bigint PRIMARY KEY, n int NOT NULL, t text, amount numeric(12,2), at timestamptz)";

    /** {@code txs} transactions, each inserting 1,000 rows and then updating them. */
    static final String TX_PROCEDURE = """
            CREATE PROCEDURE backlog_tx(first bigint, txs int) LANGUAGE plpgsql AS $$
            DECLARE lo bigint;
            BEGIN
              FOR i IN 0..txs-1 LOOP
                lo := first + i * 1000;
                INSERT INTO bl SELECT g, g % 1000, md5(g::text), g / 100.0, now() FROM generate_series(lo, lo + 999) g;
                UPDATE bl SET n = n + 1, amount = amount + 1 WHERE id BETWEEN lo AND lo + 999;
                COMMIT;
              END LOOP;
            END $$""";

    /** {@code n} rows, each inserted in a transaction of its own and then updated in another. */
    static final String ROWS_PROCEDURE = """
            CREATE PROCEDURE backlog_rows(first bigint, rows int) LANGUAGE plpgsql AS $$
            BEGIN
              FOR k IN first..first+rows-1 LOOP
                INSERT INTO bl VALUES (k, k % 1000, md5(k::text), k / 100.0, now());
                COMMIT;
                UPDATE bl SET n = n + 1, amount = amount + 1 WHERE id = k;
                COMMIT;
              END LOOP;
            END $$""";

    private final Postgres pg;
    private final Path dir;
    private final int changes;
    private long nextKey = 1;

    private Backlog(Postgres pg, Path dir) {
        this.pg = pg;
        this.dir = dir;
        this.changes = Math.max(2000, Suite.scaled(200_000) / 2000 * 2000);
    }

    static List<Suite.Row> run(Postgres pg, Path dir) throws Exception {
        return new Backlog(pg, dir).rows();
    }

    private List<Suite.Row> rows() throws Exception {
        Files.createDirectories(dir.resolve("pipelines"));
        pg.execute("postgres", TABLE, TX_PROCEDURE, ROWS_PROCEDURE, "SELECT pg_create_logical_replication_slot('floor', 'test_decoding')");
        List<Suite.Row> rows = new ArrayList<>();
        try (KafkaProcess kafka = KafkaProcess.start(dir.resolve("kafka.log"))) {
            Files.writeString(dir.resolve("pipelines/backlog.yaml"), """
                    pipeline: backlog
                    source: {type: postgres, host: localhost, port: %d, database: postgres, user: postgres, password: pw}
                    mode: incremental
                    format: debezium
                    objects: [{table: public.bl, topic: backlog.bl}]
                    sink: {type: kafka, brokers: "%s"}
                    """.formatted(pg.port(), kafka.bootstrap));
            Jar jar = Jar.start(dir);
            double firstStart = jar.awaitRunning();
            System.out.printf("backlog: first start (creates the slot and publication): pipeline RUNNING %.2f s after launch%n", firstStart);
            // a few changes so the slot's position is stored before the first stop
            write(false, 1000);
            jar.awaitOut(1000);
            List<String> starts = new ArrayList<>();
            List<String> resumes = new ArrayList<>();
            for (boolean tx : new boolean[]{true, false}) {
                String shape = tx ? "%d transactions of 1,000 inserts + 1,000 updates".formatted(changes / 2000)
                        : "single-row transactions (insert, then update)";
                // cold: the process is down while the backlog is written; the first changes after its restart
                jar.stop();
                long lsnBefore = lsn();
                write(tx, changes);
                jar = Jar.start(dir);
                double running = jar.awaitRunning();
                double[] cold = jar.catchUp(0, changes, jar.launched); // a new process counts from 0
                starts.add("%.2f s".formatted(running));
                double coldFloor = floor(lsnBefore);
                System.out.printf("backlog %s, cold: RUNNING %.2f s after launch, first change %.2f s after launch, %,.0f changes/s from the "
                        + "first change to the last; floor %,.0f changes/s%n", shape, running, cold[0], cold[1], coldFloor);
                rows.add(new Suite.Row("as shipped (fat JAR, defaults, Kafka in its own JVM): PG → Kafka catch-up, cold JVM (first %,d changes after a restart), %s"
                        .formatted(changes, shape), Suite.rate(cold[1], "changes/s"), Suite.rate(coldFloor, "changes/s") + " (" + floorName() + ")",
                        Suite.ratio(cold[1], coldFloor), "≥ 30,000/s", Suite.verdict(cold[1] >= 30_000)));
                // warm: paused while the backlog is written, timed from resume; the second round is the one that counts
                double[] warm = null;
                double warmFloor = 0;
                for (int round = 0; round < 2; round++) {
                    jar.post("/api/pipelines/backlog/pause");
                    long before = jar.out();
                    lsnBefore = lsn();
                    write(tx, changes);
                    long t0 = System.nanoTime();
                    jar.post("/api/pipelines/backlog/resume");
                    warm = jar.catchUp(before, changes, t0);
                    warmFloor = floor(lsnBefore);
                    resumes.add("%.2f s".formatted(warm[0]));
                    System.out.printf("backlog %s, warm round %d: first change %.2f s after resume, %,.0f changes/s from resume to the last; "
                            + "floor %,.0f changes/s%n", shape, round + 1, warm[0], warm[2], warmFloor);
                }
                rows.add(new Suite.Row("as shipped: PG → Kafka catch-up, warm JVM, %,d changes written while paused, %s, timed from resume"
                        .formatted(changes, shape), Suite.rate(warm[2], "changes/s"), Suite.rate(warmFloor, "changes/s") + " (" + floorName() + ")",
                        Suite.ratio(warm[2], warmFloor), "≥ 50,000/s and ≥ 0.5×", Suite.verdict(warm[2] >= 50_000 && warm[2] >= 0.5 * warmFloor)));
            }
            rows.add(new Suite.Row("as shipped: pipeline file → RUNNING after the process starts (restarts); first change after `resume`",
                    String.join(", ", starts) + "; " + String.join(", ", resumes), "—", "—", "≤ 2 s; ≤ 1 s",
                    Suite.verdict(starts.stream().allMatch(s -> seconds(s) <= 2) && resumes.stream().allMatch(s -> seconds(s) <= 1))));
            jar.stop();
        } finally {
            // kept for a look at where the time went (the run's folder is deleted)
            Files.copy(dir.resolve("tributary.log"), Path.of("target/bench-backlog-tributary.log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return rows;
    }

    private static double seconds(String figure) {
        return Double.parseDouble(figure.replace(" s", ""));
    }

    private void write(boolean tx, int n) throws Exception {
        long w0 = System.nanoTime();
        // either way n / 2 new rows, each inserted and updated once
        pg.execute("postgres", tx ? "CALL backlog_tx(" + nextKey + ", " + n / 2000 + ")" : "CALL backlog_rows(" + nextKey + ", " + n / 2 + ")");
        nextKey += n / 2;
        System.out.printf("backlog: %,d changes written in %.1f s%n", n, (System.nanoTime() - w0) / 1e9);
    }

    /** The server's current WAL position; the floor slot is moved there before a backlog is written. */
    private long lsn() throws Exception {
        try (Connection c = pg.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("SELECT pg_replication_slot_advance('floor', pg_current_wal_lsn())");
            try (ResultSet r = st.executeQuery("SELECT pg_current_wal_lsn() - '0/0'::pg_lsn")) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private static String floorName() {
        return recvlogical() == null ? "pgjdbc replication stream, test_decoding" : "pg_recvlogical, test_decoding";
    }

    /** {@code pg_recvlogical} on the PATH (PostgreSQL's client tools), or null. */
    private static Path recvlogical() {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(d, "pg_recvlogical");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /**
     * Changes/s at which the decoder alone drains the backlog just written: the floor slot from where it was moved
     * before the backlog to the server's position now. {@code pg_recvlogical} when installed, else the same stream read
     * by pgjdbc's replication API (the figure is then the decoder plus a Java reader).
     */
    private double floor(long from) throws Exception {
        long end;
        try (Connection c = pg.connect("postgres"); Statement st = c.createStatement(); ResultSet r = st.executeQuery("SELECT pg_current_wal_lsn()")) {
            r.next();
            end = org.postgresql.replication.LogSequenceNumber.valueOf(r.getString(1)).asLong();
        }
        String endText = org.postgresql.replication.LogSequenceNumber.valueOf(end).asString();
        long t0 = System.nanoTime();
        Path tool = recvlogical();
        if (tool != null) {
            Process p = new ProcessBuilder(tool.toString(), "-h", "localhost", "-p", String.valueOf(pg.port()), "-U", Postgres.USER, "-d", "postgres",
                    "--slot", "floor", "--start", "--no-loop", "--endpos", endText, "-f", "/dev/null")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("recvlogical.log").toFile()).start();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("pg_recvlogical failed; see " + dir.resolve("recvlogical.log"));
            }
        } else {
            Properties props = new Properties();
            props.setProperty("user", Postgres.USER);
            props.setProperty("password", Postgres.PASSWORD);
            props.setProperty("replication", "database");
            props.setProperty("assumeMinServerVersion", "9.4");
            props.setProperty("preferQueryMode", "simple");
            try (Connection c = java.sql.DriverManager.getConnection(pg.jdbcUrl("postgres"), props)) {
                org.postgresql.replication.PGReplicationStream s = c.unwrap(org.postgresql.PGConnection.class).getReplicationAPI()
                        .replicationStream().logical().withSlotName("floor").start();
                while (s.getLastReceiveLSN().asLong() < end) {
                    s.read();
                }
                s.setFlushedLSN(s.getLastReceiveLSN());
                s.forceUpdateStatus();
            }
        }
        return changes / ((System.nanoTime() - t0) / 1e9);
    }

    /** The fat JAR as an operator starts it: {@code scripts/tributary run ...} (its class-data sharing archive, no other JVM option). */
    static final class Jar implements AutoCloseable {
        final Process process;
        final int port;
        final long launched = System.nanoTime();

        private Jar(Process process, int port) {
            this.process = process;
            this.port = port;
        }

        static Jar start(Path dir) throws Exception {
            int port = KafkaBroker.freePort();
            ProcessBuilder launcher = new ProcessBuilder("scripts/tributary", "run", "--pipelines", dir.resolve("pipelines").toString(),
                    "--data", dir.resolve("data").toString(), "--port", String.valueOf(port));
            launcher.environment().put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
            launcher.environment().put("JAVA_OPTS", System.getProperty("bench.childJvmArgs", "")); // e.g. -XX:StartFlightRecording=...
            if (System.getProperty("bench.jar") != null) { // another build's JAR (and its archive beside it), for an A/B of start-up
                launcher.environment().put("TRIBUTARY_JAR", System.getProperty("bench.jar"));
            }
            Process p = launcher.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("tributary.log").toFile())).start();
            return new Jar(p, port);
        }

        /** Seconds from launch until the pipeline reports RUNNING. */
        double awaitRunning() throws Exception {
            return awaitRunning("backlog");
        }

        /** Seconds from launch until this pipeline reports RUNNING. */
        double awaitRunning(String pipeline) throws Exception {
            while (true) {
                JsonNode s = status(pipeline);
                if (s != null && "RUNNING".equals(s.path("state").asText())) {
                    return (System.nanoTime() - launched) / 1e9;
                }
                if (s != null && "FAILED".equals(s.path("state").asText())) {
                    throw new IllegalStateException("the pipeline failed: " + s);
                }
                Thread.sleep(10);
            }
        }

        /**
         * Waits until {@code events.out} passed {@code before + n}; returns {seconds from t0 to the first change, changes/s
         * from the first change to the last, changes/s from t0 to the last}.
         */
        double[] catchUp(long before, int n, long t0) throws Exception {
            return catchUp("backlog", before, n, t0);
        }

        /**
         * {@link #catchUp(long, int, long)} of this pipeline. Asked every 10 ms until the first change and near the
         * end, less often in between: each status request costs the JAR CPU (a JFR profile of the streaming row, asked
         * every 10 ms throughout, found the REST threads at 7% of its samples).
         */
        double[] catchUp(String pipeline, long before, int n, long t0) throws Exception {
            long first = 0;
            while (true) {
                long out = out(pipeline);
                long now = System.nanoTime();
                if (first == 0 && out > before) {
                    first = now;
                }
                if (out >= before + n) {
                    return new double[]{(first - t0) / 1e9, n / ((now - first) / 1e9), n / ((now - t0) / 1e9)};
                }
                long sleepMs = 10;
                if (first != 0 && now > first && out > before) {
                    double perMs = (out - before) / ((now - first) / 1e6);
                    sleepMs = Math.max(10, Math.min(200, (long) ((before + n - out) / perMs / 4)));
                }
                Thread.sleep(sleepMs);
            }
        }

        /**
         * One round of a paused pipeline: resume, wait until it delivered {@code rows} more changes, pause again;
         * changes/s from its first change to its last.
         */
        double resumeAndCatchUp(String pipeline, int rows) throws Exception {
            long before = out(pipeline);
            long t0 = System.nanoTime();
            post("/api/pipelines/" + pipeline + "/resume");
            double[] c = catchUp(pipeline, before, rows, t0);
            post("/api/pipelines/" + pipeline + "/pause");
            return c[1];
        }

        void awaitOut(long n) throws Exception {
            awaitOut("backlog", n);
        }

        void awaitOut(String pipeline, long n) throws Exception {
            while (true) {
                JsonNode s = status(pipeline);
                if (s != null && s.at("/events/out").asLong() >= n) {
                    return;
                }
                Thread.sleep(10);
            }
        }

        long out() throws Exception {
            return out("backlog");
        }

        long out(String pipeline) throws Exception {
            JsonNode s = status(pipeline);
            return s == null ? 0 : s.at("/events/out").asLong();
        }

        JsonNode status() throws Exception {
            return status("backlog");
        }

        /** The pipeline's status document; null while the API is not up or does not know the pipeline yet. */
        JsonNode status(String pipeline) throws Exception {
            if (!process.isAlive()) {
                throw new IllegalStateException("Tributary exited with " + process.exitValue());
            }
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/pipelines/" + pipeline))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                return r.statusCode() == 200 ? Suite.JSON.readTree(r.body()) : null;
            } catch (java.io.IOException notYetUp) {
                return null;
            }
        }

        void post(String path) throws Exception {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(path + ": " + r.statusCode() + " " + r.body());
            }
        }

        /** SIGTERM, as a service manager stops it; waits until it is gone. */
        void stop() throws InterruptedException {
            process.destroy();
            process.waitFor();
        }

        /** Whatever happened to the row: the process does not outlive it (kill -9 if it is still there). */
        @Override
        public void close() throws InterruptedException {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            }
        }
    }
}
