package bench;

import app.Tributary;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.main.Main;
import runtime.PipelineRegistry;
import runtime.PipelineRuntime;
import sources.CdcConsumer;
import testsupport.Dirs;
import testsupport.KafkaBroker;
import testsupport.MariaDb;
import testsupport.Postgres;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * The benchmark suite ({@code mvn -Pbench package}; docs/performance.md): each row runs Tributary and its baseline on the
 * same changes in this one JVM run and prints both figures and their ratio, then one table. A measurement, not a test:
 * it asserts nothing. Starts its own servers: embedded PostgreSQL, Kafka and RocketMQ (in-process, or in a JVM of their own for the rows that run the fat JAR), hermetic MariaDB,
 * MiniDFSCluster. {@code -Dbench.only=backlog,footprint,streaming,latency,snapshot,snapshot-nokey,pg-jdbc,snapshot-mariadb,mariadb,jdbc,hdfs,formats} runs some rows;
 * {@code -Dbench.scale=0.1} shrinks every workload (for a quick look; the documented figures are at scale 1).
 */
public final class Suite {

    /** One line of the table: what, Tributary's figure, the baseline's, the goal and whether it is met. */
    record Row(String what, String tributary, String baseline, String ratio, String goal, String verdict) {
    }

    static final double SCALE = Double.parseDouble(System.getProperty("bench.scale", "1"));
    static final Set<String> ONLY = Set.of(System.getProperty("bench.only", "backlog,footprint,streaming,latency,snapshot,snapshot-nokey,pg-jdbc,snapshot-mariadb,mariadb,jdbc,hdfs,formats").split(","));
    static final ObjectMapper JSON = new ObjectMapper();

    /** Ten columns of common types; every workload table has them. */
    static final String COLUMNS = "(id int PRIMARY KEY, name text NOT NULL, qty int NOT NULL, price numeric(12,2), weight double precision, "
            + "active boolean, created timestamptz DEFAULT now(), code varchar(32), big bigint, small smallint)";

    /**
     * {@code n} single-row transactions from key {@code first} in blocks of ten: six inserts, three updates of rows
     * inserted in the block, one delete of another — each its own COMMIT, as an OLTP application writes. With
     * {@code rate > 0} paced to that many changes a second (checked every 100 changes).
     */
    static final String CHANGES_PROCEDURE = """
            CREATE PROCEDURE changes(tbl text, first int, n int, rate int) LANGUAGE plpgsql AS $$
            DECLARE
              k int; b int; t0 timestamptz := clock_timestamp(); lag float8;
            BEGIN
              FOR i IN 0..n-1 LOOP
                k := first + i; b := first + (i / 10) * 10;
                IF i % 10 < 6 THEN
                  EXECUTE format('INSERT INTO %I VALUES ($1, $2, $3, $4, $5, $6, now(), $7, $8, $9)', tbl)
                    USING k, 'name ' || k, k % 1000, k / 100.0, k * 0.5, k % 2 = 0, 'c' || (k % 97), k::bigint * 1000, (k % 100)::smallint;
                ELSIF i % 10 < 9 THEN
                  EXECUTE format('UPDATE %I SET qty = qty + 1, price = price + 1, code = $1 WHERE id = $2', tbl) USING 'u' || i, b + i % 10 - 6;
                ELSE
                  EXECUTE format('DELETE FROM %I WHERE id = $1', tbl) USING b + 3;
                END IF;
                COMMIT;
                IF rate > 0 AND i % 100 = 99 THEN
                  lag := extract(epoch FROM t0 + (i + 1) * interval '1 second' / rate - clock_timestamp());
                  IF lag > 0 THEN PERFORM pg_sleep(lag); END IF;
                END IF;
              END LOOP;
            END $$""";

    public static void main(String[] args) {
        try {
            run();
        } catch (Throwable t) {
            t.printStackTrace();
            System.exit(1); // the engines' threads would keep the JVM alive
        }
    }

    static void run() throws Exception {
        long start = System.nanoTime();
        List<Row> rows = new ArrayList<>();
        Path dir = Files.createTempDirectory("tributary-bench");
        try {
            try (Postgres pg = new Postgres(); KafkaBroker kafka = new KafkaBroker()) {
                pg.execute("postgres", CHANGES_PROCEDURE);
                if (ONLY.contains("backlog")) {
                    rows.addAll(Backlog.run(pg, dir.resolve("backlog")));
                }
                if (ONLY.contains("footprint")) {
                    rows.addAll(Footprint.run(pg, dir.resolve("footprint")));
                }
                if (ONLY.contains("streaming") || ONLY.contains("latency")) {
                    try (Running t = new Running(dir.resolve("pg"), Map.of())) {
                        if (ONLY.contains("streaming")) {
                            rows.add(streaming(pg, t, dir.resolve("streaming")));
                        }
                        if (ONLY.contains("latency")) {
                            rows.add(Latency.run(pg, t, dir.resolve("latency")));
                        }
                    }
                }
                if (ONLY.contains("snapshot")) {
                    rows.add(snapshot(pg, kafka, dir.resolve("snapshot"), true));
                }
                if (ONLY.contains("snapshot-nokey")) {
                    rows.add(snapshot(pg, kafka, dir.resolve("snapshot-nokey"), false));
                }
                if (ONLY.contains("pg-jdbc")) {
                    rows.add(postgresToJdbc(pg, dir.resolve("pg-jdbc")));
                }
            }
            if (ONLY.contains("mariadb")) {
                rows.add(mariadbToRocketMq(dir.resolve("maria")));
            }
            if (ONLY.contains("snapshot-mariadb")) {
                rows.add(mariadbSnapshot(dir.resolve("snapshot-mariadb")));
            }
            if (ONLY.contains("jdbc")) {
                rows.add(JdbcSinkBench.run(scaled(200_000)));
            }
            if (ONLY.contains("hdfs")) {
                rows.addAll(HdfsSinkBench.run(scaled(200_000)));
            }
            if (ONLY.contains("formats")) {
                rows.addAll(formats());
            }
        } finally {
            Dirs.delete(dir);
        }
        print(rows, (System.nanoTime() - start) / 1e9);
        System.exit(0);
    }

    // ---- 1. streaming PostgreSQL → Kafka ----

    /**
     * As shipped: the fat JAR (defaults) and Debezium's engine as released with a plain producer, each in a JVM of its
     * own, Kafka in a third. Both catch up the same backlog of single-row transactions from their own slots; a warm-up
     * round first, then the measured one.
     *
     * @param settingsFrom Tributary in the suite's JVM: only to read the engine settings the pipeline starts with
     */
    static Row streaming(Postgres pg, Running settingsFrom, Path dir) throws Exception {
        int n = scaled(1_000_000);
        pg.execute("postgres", "CREATE TABLE s " + COLUMNS);
        Files.createDirectories(dir.resolve("pipelines"));
        double[] r;
        try (KafkaProcess kafka = KafkaProcess.start(dir.resolve("kafka.log"))) {
            String pipeline = """
                    pipeline: bench-stream
                    source: {type: postgres, host: localhost, port: %d, database: postgres, user: postgres, password: pw}
                    mode: incremental
                    objects: [{table: public.s, topic: bench.s}]
                    sink: {type: kafka, brokers: "%s"}
                    """.formatted(pg.port(), kafka.bootstrap) + batchSettings();
            RawEngine raw = RawEngine.like(settingsFrom.engineSettings(pipeline.replace("bench-stream", "bench-stream-settings")),
                    "raw_stream", dir);
            Files.writeString(dir.resolve("pipelines/bench-stream.yaml"), pipeline);
            try (Backlog.Jar jar = Backlog.Jar.start(dir);
                 StockEngineProcess stock = new StockEngineProcess(raw.settings(), kafka.bootstrap, "raw.s", dir)) {
                jar.awaitRunning("bench-stream");
                stock.catchUp(0); // its slot, before the backlog
                jar.post("/api/pipelines/bench-stream/pause");
                // the server settles before the contenders read: autovacuum of the written table and a checkpoint would
                // otherwise fall into whichever catch-up runs first (Tributary's), on the same two cores
                // 300,000 changes of warm-up, not 100,000: after 100,000 the C2 compiler thread of either JVM still took
                // 0.3-0.7 of a core through the first 6-10 s of the measured round
                r = rounds("streaming", n * 3 / 10, n, (first, count) -> pg.execute("postgres", "CALL changes('s', " + first + ", " + count + ", 0)",
                                "VACUUM ANALYZE s", "CHECKPOINT"),
                        rows -> jar.resumeAndCatchUp("bench-stream", rows), stock::catchUp, "KafkaProducer (own JVM, stock Debezium)");
                jar.stop();
            }
        }
        double ours = r[0];
        double base = r[1];
        return new Row("as shipped: PG → Kafka, streaming: %,d single-row changes (60%% insert, 30%% update, 10%% delete), 10 columns, backlog".formatted(n),
                rate(ours, "events/s"), rate(base, "events/s") + " (raw Debezium engine as released + KafkaProducer, a JVM of its own)",
                ratio(ours, base), "≥ 1.5× (issue 21)", verdict(ours >= 1.5 * base));
    }

    // ---- 1b. PostgreSQL → JDBC (PostgreSQL), as shipped ----

    /**
     * As shipped: the fat JAR (defaults) keeping a copy of a table in another database, beside Debezium's engine as
     * released with the hand-written JDBC glue ({@link RawSenders#jdbc}) in a JVM of its own; both catch up the same
     * backlog of single-row transactions from their own slots into their own, identical target tables, on the same
     * server; a warm-up round first, then the measured one.
     */
    static Row postgresToJdbc(Postgres pg, Path dir) throws Exception {
        int n = scaled(300_000);
        pg.execute("postgres", "CREATE TABLE j " + COLUMNS);
        pg.createDatabase("bench_copy");
        pg.execute("bench_copy", "CREATE TABLE j_tributary " + COLUMNS, "CREATE TABLE j_raw " + COLUMNS);
        Files.createDirectories(dir.resolve("pipelines"));
        String pipeline = """
                pipeline: bench-jdbc
                source: {type: postgres, host: localhost, port: %d, database: postgres, user: postgres, password: pw}
                mode: incremental
                objects: [{table: public.j, target: public.j_tributary}]
                sink: {type: jdbc, url: "jdbc:postgresql://localhost:%d/bench_copy", user: postgres, password: pw}
                """.formatted(pg.port(), pg.port());
        RawEngine raw;
        try (Running settingsFrom = new Running(dir.resolve("settings"), Map.of())) { // only to read the engine settings
            raw = RawEngine.like(settingsFrom.engineSettings(pipeline.replace("bench-jdbc", "bench-jdbc-settings")), "raw_jdbc", dir);
        }
        Files.writeString(dir.resolve("pipelines/bench-jdbc.yaml"), pipeline);
        double[] r;
        try (Backlog.Jar jar = Backlog.Jar.start(dir);
             StockEngineProcess stock = new StockEngineProcess(raw.settings(), "jdbc",
                     "jdbc:postgresql://localhost:%d/bench_copy?user=postgres&password=pw".formatted(pg.port()), "j_raw", dir)) {
            jar.awaitRunning("bench-jdbc");
            stock.catchUp(0); // its slot, before the backlog
            jar.post("/api/pipelines/bench-jdbc/pause");
            r = rounds("jdbc", n / 3, n, (first, count) -> pg.execute("postgres", "CALL changes('j', " + first + ", " + count + ", 0)",
                            "VACUUM ANALYZE j", "CHECKPOINT"),
                    rows -> jar.resumeAndCatchUp("bench-jdbc", rows), stock::catchUp, "hand-written JDBC upsert (own JVM, stock Debezium)");
            jar.stop();
        }
        String source = digest(pg, "postgres", "j");
        String tributaryCopy = digest(pg, "bench_copy", "j_tributary");
        String rawCopy = digest(pg, "bench_copy", "j_raw");
        if (!tributaryCopy.equals(source) || !rawCopy.equals(source)) { // a copy that is not the source makes no figure
            throw new IllegalStateException("a copy differs from the source (" + source + "): Tributary's " + tributaryCopy + ", the baseline's " + rawCopy);
        }
        System.out.println("jdbc: both copies hold the source's rows (" + source + ")");
        double ours = r[0];
        double base = r[1];
        return new Row("as shipped: PG → JDBC (a PostgreSQL copy): %,d single-row changes (60%% insert, 30%% update, 10%% delete), 10 columns, backlog".formatted(n),
                rate(ours, "events/s"), rate(base, "events/s") + " (raw Debezium engine as released + hand-written JDBC upsert, a JVM of its own)",
                ratio(ours, base), "≥ 1.0×", verdict(ours >= base));
    }

    /** Row count and an MD5 of all rows in key order, of a table. */
    static String digest(Postgres pg, String database, String table) throws Exception {
        try (java.sql.Connection c = pg.connect(database); java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT count(*), md5(string_agg(t::text, ',' ORDER BY id)) FROM " + table + " t")) {
            rs.next();
            return rs.getLong(1) + " rows, md5 " + rs.getString(2);
        }
    }

    // ---- 2. latency at a steady rate: Latency ----

    /**
     * {@code -Dbench.maxWaitMs=N}, {@code -Dbench.maxEvents=N}: a {@code batch.maxWaitMs} or {@code batch.maxEvents} other than
     * the default, for the streaming and latency rows.
     */
    static String batchSettings() {
        List<String> batch = new ArrayList<>();
        for (String key : new String[]{"maxWaitMs", "maxEvents"}) {
            if (System.getProperty("bench." + key) != null) {
                batch.add(key + ": " + System.getProperty("bench." + key));
            }
        }
        return batch.isEmpty() ? "" : "batch: {" + String.join(", ", batch) + "}\n";
    }

    // ---- 3. snapshot ----

    /**
     * A table of 5,000,000 rows, mode {@code full}: Tributary as an operator runs it — the fat JAR in its own JVM with
     * {@code -Xmx512m} — its rows/s and its heap (sampled from its /metrics every 200 ms); beside it Debezium's own
     * snapshot (the raw engine, {@code snapshot.mode=initial}, same table) into Kafka with a plain producer.
     */
    static final int SNAPSHOT_THREADS = Integer.getInteger("bench.snapshotThreads", 4);

    static Row snapshot(Postgres pg, KafkaBroker kafka, Path dir, boolean keyed) throws Exception {
        int n = scaled(5_000_000);
        long l0 = System.nanoTime();
        // without a primary key the parallel snapshot still cuts the table by ctid; its rows carry no key
        pg.execute("postgres", "CREATE TABLE snap " + (keyed ? COLUMNS : COLUMNS.replace(" PRIMARY KEY", "")),
                "INSERT INTO snap SELECT g, 'name ' || g, g % 1000, g / 100.0, g * 0.5, g % 2 = 0, now(), 'c' || (g % 97), g::bigint * 1000, "
                        + "(g % 100)::smallint FROM generate_series(1, " + n + ") g",
                "VACUUM ANALYZE snap");
        System.out.printf("snapshot: %,d rows loaded in %.1f s%n", n, (System.nanoTime() - l0) / 1e9);
        String name = keyed ? "bench-snapshot" : "bench-snapshot-nokey"; // each its own slot
        double[] jar = snapshotByJar(dir, name, """
                pipeline: %s
                source: {type: postgres, host: localhost, port: %d, database: postgres, user: postgres, password: pw}
                mode: full
                snapshot: {threads: %d}
                objects: [{table: public.snap, topic: %s.tributary}]
                sink: {type: kafka, brokers: "%s"}
                """.formatted(name, pg.port(), SNAPSHOT_THREADS, name, kafka.bootstrap()), n);
        double ours = jar[0];
        double peakHeap = jar[1];
        System.out.printf("snapshot: Tributary (fat JAR, -Xmx512m, parallel snapshot, %d connections) %,.0f rows/s, heap at most %.0f MB (sampled)%n",
                SNAPSHOT_THREADS, ours, peakHeap / 1e6);
        RawEngine raw = new RawEngine(keyed ? "raw_snap" : "raw_snap_nokey", pg.port(), dir.resolve("raw-snap-offsets.dat"))
                .with("table.include.list", "public\\.snap").with("snapshot.mode", "initial");
        double base;
        try (RawEngine.BatchSender sender = RawSenders.kafka(kafka.bootstrap(), name + ".raw")) {
            base = raw.catchUp(n, sender);
        }
        System.out.printf("snapshot: Debezium's snapshot (raw engine, snapshot.mode=initial) + KafkaProducer %,.0f rows/s%n", base);
        pg.execute("postgres", "DROP TABLE snap");
        return new Row("PG → Kafka, snapshot: a %,d-row table, 10 columns%s (Tributary: snapshot.threads %d)"
                        .formatted(n, keyed ? "" : ", no primary key", SNAPSHOT_THREADS),
                rate(ours, "rows/s") + ", heap ≤ %.0f MB".formatted(peakHeap / 1e6), rate(base, "rows/s") + " (Debezium's snapshot + KafkaProducer)",
                ratio(ours, base), "≥ 2×, heap < 512 MB", verdict(ours >= 2 * base && peakHeap < 512e6));
    }

    /**
     * Runs {@code pipeline} (mode full) in the fat JAR with {@code -Xmx512m} until it has delivered {@code n} rows:
     * rows/s from the first row out to the last, and the heap's peak (sampled from /metrics every 200 ms).
     */
    static double[] snapshotByJar(Path dir, String name, String pipeline, int n) throws Exception {
        Path jar = Path.of("target/tributary.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the snapshot rows run the fat JAR: build it first (mvn -Pbench package does)");
        }
        Path run = dir.resolve(name);
        Files.createDirectories(run.resolve("pipelines"));
        Files.writeString(run.resolve("pipelines/snap.yaml"), pipeline);
        int port = KafkaBroker.freePort();
        List<String> command = new ArrayList<>(List.of("java", "-Xmx512m"));
        // e.g. -XX:StartFlightRecording=filename=/tmp/{name}.jfr — {name}: the pipeline, so that each process has its own file
        String extra = System.getProperty("bench.childJvmArgs", "").replace("{name}", name);
        if (!extra.isBlank()) {
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        command.addAll(List.of("-jar", jar.toString(), "run", "--pipelines", run.resolve("pipelines").toString(),
                "--data", run.resolve("data").toString(), "--port", String.valueOf(port)));
        Process child = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(run.resolve("tributary.log").toFile()).start();
        HttpClient http = HttpClient.newHttpClient();
        long first = 0;
        long last;
        double peakHeap = 0;
        try {
            while (true) {
                Thread.sleep(200);
                JsonNode status;
                String metrics;
                try {
                    status = JSON.readTree(get(http, port, "/api/pipelines/" + name));
                    metrics = get(http, port, "/metrics");
                } catch (java.io.IOException notYetUp) {
                    if (!child.isAlive()) {
                        throw new IllegalStateException("Tributary exited with " + child.exitValue() + "; see " + run.resolve("tributary.log"));
                    }
                    continue;
                }
                peakHeap = Math.max(peakHeap, heapUsed(metrics));
                long out = status.at("/events/out").asLong();
                if (first == 0 && out > 0) {
                    first = System.nanoTime();
                }
                if (out >= n) {
                    last = System.nanoTime();
                    break;
                }
                if (status.path("state").asText().equals("FAILED")) {
                    throw new IllegalStateException("the snapshot pipeline failed: " + status);
                }
            }
        } finally {
            child.destroy();
            child.waitFor();
        }
        return new double[]{n / ((last - first) / 1e9), peakHeap};
    }

    // ---- 3b. MariaDB snapshot ----

    /**
     * A MariaDB table of 2,000,000 rows, mode {@code full}, both as an operator runs them — the fat JAR with
     * {@code -Xmx512m}, Kafka as the sink: the parallel snapshot ({@code snapshot.threads}) beside Debezium's MariaDB
     * snapshot as released (the raw engine and a KafkaProducer in a JVM of its own, as the PostgreSQL rows compare), and
     * beside Debezium's snapshot inside Tributary (the same pipeline without {@code snapshot:}: the same delivery).
     */
    static Row mariadbSnapshot(Path dir) throws Exception {
        int n = scaled(2_000_000);
        try (MariaDb maria = new MariaDb(); KafkaBroker kafka = new KafkaBroker()) {
            maria.createDatabase("snapm");
            long l0 = System.nanoTime();
            maria.execute("snapm", "CREATE TABLE snap (id INT PRIMARY KEY, name TEXT NOT NULL, qty INT NOT NULL, price DECIMAL(12,2), "
                            + "weight DOUBLE, active BOOLEAN, created DATETIME(6), code VARCHAR(32), big BIGINT, small SMALLINT)",
                    "INSERT INTO snap SELECT seq, CONCAT('name ', seq), seq MOD 1000, seq / 100.0, seq * 0.5, seq MOD 2 = 0, NOW(6), "
                            + "CONCAT('c', seq MOD 97), seq * 1000, seq MOD 100 FROM seq_1_to_" + n,
                    "ANALYZE TABLE snap");
            System.out.printf("mariadb snapshot: %,d rows loaded in %.1f s%n", n, (System.nanoTime() - l0) / 1e9);
            String pipeline = """
                    pipeline: %s
                    source: {type: mariadb, host: 127.0.0.1, port: %d, user: %s, password: %s}
                    mode: full
                    %s
                    objects: [{table: snapm.snap, topic: %s}]
                    sink: {type: kafka, brokers: "%s"}
                    """;
            double[] ours = snapshotByJar(dir, "bench-msnap", pipeline.formatted("bench-msnap", maria.port(), MariaDb.USER, MariaDb.PASSWORD,
                    "snapshot: {threads: %d}".formatted(SNAPSHOT_THREADS), "bench-msnap", kafka.bootstrap()), n);
            System.out.printf("mariadb snapshot: Tributary (fat JAR, -Xmx512m, parallel snapshot, %d connections) %,.0f rows/s, heap at most %.0f MB%n",
                    SNAPSHOT_THREADS, ours[0], ours[1] / 1e6);
            double[] inJar = snapshotByJar(dir, "bench-msnap-dbz", pipeline.formatted("bench-msnap-dbz", maria.port(), MariaDb.USER, MariaDb.PASSWORD,
                    "", "bench-msnap-dbz", kafka.bootstrap()), n);
            System.out.printf("mariadb snapshot: Debezium's snapshot in Tributary (fat JAR, -Xmx512m, no snapshot: section) %,.0f rows/s, heap at most %.0f MB%n",
                    inJar[0], inJar[1] / 1e6);
            // Debezium as released, as the PostgreSQL rows compare: the settings Tributary starts the connector with
            double stock;
            try (Running t = new Running(dir.resolve("msnap-settings"), Map.of())) {
                PipelineRuntime p = t.create(pipeline.formatted("bench-msnap-stock", maria.port(), MariaDb.USER, MariaDb.PASSWORD, "",
                        "raw_msnap", kafka.bootstrap()).replace("mode: full", "mode: incremental"));
                p.stop();
                RawEngine raw = RawEngine.like(t.debezium(p), "raw_msnap", dir).with("snapshot.mode", "initial")
                        .with("include.schema.changes", "false"); // the clock starts at the first row, as Tributary's does
                try (StockEngineProcess engine = new StockEngineProcess(raw.settings(), "kafka", kafka.bootstrap(), "raw_msnap", dir, "-Xmx512m")) {
                    stock = engine.catchUp(n);
                }
            }
            System.out.printf("mariadb snapshot: Debezium's snapshot as released (raw engine, snapshot.mode=initial, own JVM, -Xmx512m) + KafkaProducer %,.0f rows/s%n",
                    stock);
            return new Row("MariaDB → Kafka, snapshot: a %,d-row table, 10 columns (Tributary: snapshot.threads %d)".formatted(n, SNAPSHOT_THREADS),
                    rate(ours[0], "rows/s") + ", heap ≤ %.0f MB".formatted(ours[1] / 1e6),
                    rate(stock, "rows/s") + " (Debezium's snapshot as released + KafkaProducer, own JVM, -Xmx512m); Debezium's snapshot inside Tributary's JAR: "
                            + rate(inJar[0], "rows/s") + " (" + ratio(ours[0], inJar[0]) + "×)",
                    ratio(ours[0], stock), "≥ 2×, heap < 512 MB", verdict(ours[0] >= 2 * stock && ours[1] < 512e6));
        }
    }

    static String get(HttpClient http, int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The sum of {@code jvm_memory_used_bytes{area="heap",…}} in a Prometheus scrape. */
    static double heapUsed(String metrics) {
        double sum = 0;
        for (String line : metrics.split("\n")) {
            if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    // ---- 4. MariaDB → RocketMQ, ordered ----

    /**
     * As shipped: the fat JAR (defaults) and Debezium's engine as released with a plain producer, each in a JVM of its
     * own, the NameServer + Broker in a third. Both catch up the same backlog of single-row transactions, the engine
     * from the binlog position Tributary started at; a warm-up round first, then the measured one.
     */
    static Row mariadbToRocketMq(Path dir) throws Exception {
        int n = scaled(200_000);
        Files.createDirectories(dir.resolve("pipelines"));
        try (MariaDb maria = new MariaDb(); RocketMqProcess mq = RocketMqProcess.start(dir.resolve("rocketmq.log"))) {
            mq.createTopic("bench_maria", 8);
            mq.createTopic("raw_maria", 8);
            maria.createDatabase("benchm");
            maria.execute("benchm", "CREATE TABLE m (id INT PRIMARY KEY, name TEXT NOT NULL, qty INT NOT NULL, price DECIMAL(12,2), weight DOUBLE, "
                            + "active BOOLEAN, created DATETIME(6), code VARCHAR(32), big BIGINT, small SMALLINT)",
                    """
                    CREATE PROCEDURE changes(first INT, n INT)
                    BEGIN
                      DECLARE i INT DEFAULT 0;
                      DECLARE k INT;
                      DECLARE b INT;
                      WHILE i < n DO
                        SET k = first + i, b = first + (i DIV 10) * 10;
                        IF i MOD 10 < 6 THEN
                          INSERT INTO m VALUES (k, CONCAT('name ', k), k MOD 1000, k / 100.0, k * 0.5, k MOD 2 = 0, NOW(6), CONCAT('c', k MOD 97), k * 1000, k MOD 100);
                        ELSEIF i MOD 10 < 9 THEN
                          UPDATE m SET qty = qty + 1, price = price + 1, code = CONCAT('u', i) WHERE id = b + i MOD 10 - 6;
                        ELSE
                          DELETE FROM m WHERE id = b + 3;
                        END IF;
                        COMMIT;
                        SET i = i + 1;
                      END WHILE;
                    END""");
            String pipeline = """
                    pipeline: bench-maria
                    source: {type: mariadb, host: 127.0.0.1, port: %d, user: %s, password: %s}
                    mode: incremental
                    objects: [{table: benchm.m, topic: bench_maria}]
                    sink: {type: rocketmq, namesrv: "%s"}
                    """.formatted(maria.port(), MariaDb.USER, MariaDb.PASSWORD, mq.namesrv);
            RawEngine raw;
            try (Running settingsFrom = new Running(dir.resolve("settings"), Map.of())) { // only to read the engine settings
                raw = RawEngine.like(settingsFrom.engineSettings(pipeline.replace("bench-maria", "bench-maria-settings")), "raw_maria", dir);
            }
            Files.writeString(dir.resolve("pipelines/bench-maria.yaml"), pipeline);
            double[] r;
            try (Backlog.Jar jar = Backlog.Jar.start(dir)) {
                jar.awaitRunning("bench-maria");
                // one change through Tributary before the rounds: the pipeline then reads from a position of its own
                maria.execute("benchm", "INSERT INTO m VALUES (0, 'seed', 0, 0, 0, true, NOW(6), 'c', 0, 0)");
                jar.awaitOut("bench-maria", 1);
                jar.post("/api/pipelines/bench-maria/pause");
                raw.seedBinlogPosition(maria.jdbcUrl("benchm"), MariaDb.USER, MariaDb.PASSWORD);
                try (StockEngineProcess stock = new StockEngineProcess(raw.settings(), "rocketmq", mq.namesrv, "raw_maria", dir)) {
                    r = rounds("mariadb", n / 4, n, (first, count) -> maria.execute("benchm", "CALL changes(" + first + ", " + count + ")"),
                            rows -> jar.resumeAndCatchUp("bench-maria", rows), stock::catchUp, "DefaultMQProducer (own JVM, stock Debezium)");
                }
                jar.stop();
            }
            double ours = r[0];
            double base = r[1];
            return new Row("as shipped: MariaDB → RocketMQ ordered (8 queues by key): %,d single-row changes, 10 columns, backlog".formatted(n),
                    rate(ours, "events/s"), rate(base, "events/s") + " (raw Debezium engine as released + DefaultMQProducer, same queue choice, a JVM of its own)",
                    ratio(ours, base), "≥ 1.0×", verdict(ours >= base));
        }
    }

    // ---- 6. format encoders (JMH) ----

    /** {@link FormatsJmh} in a forked JVM: events/s on one core and bytes allocated per event, a row per format. */
    static List<Row> formats() throws Exception {
        org.openjdk.jmh.runner.options.Options options = new org.openjdk.jmh.runner.options.OptionsBuilder()
                .include(FormatsJmh.class.getName()).addProfiler(org.openjdk.jmh.profile.GCProfiler.class).build();
        List<Row> rows = new ArrayList<>();
        for (org.openjdk.jmh.results.RunResult r : new org.openjdk.jmh.runner.Runner(options).run()) {
            String format = r.getParams().getParam("format");
            double perSecond = r.getPrimaryResult().getScore();
            org.openjdk.jmh.results.Result<?> alloc = r.getSecondaryResults().getOrDefault("gc.alloc.rate.norm",
                    r.getSecondaryResults().get("·gc.alloc.rate.norm")); // the key's spelling changed between JMH versions
            rows.add(new Row("format encoder `%s` (JMH, one thread; 60%% insert, 30%% update, 10%% delete, 10 columns)".formatted(format),
                    rate(perSecond, "events/s") + " ± %.0f%%".formatted(100 * r.getPrimaryResult().getScoreError() / perSecond)
                            + (alloc == null ? "" : ", %.0f B/event".formatted(alloc.getScore())),
                    "—", "—", "—", ""));
        }
        return rows;
    }

    // ---- helpers ----

    interface Writer {
        void write(int first, int count) throws Exception;
    }

    /** A contender beside Tributary: catches up {@code rows} changes, returns events/s. */
    interface Baseline {
        double catchUp(int rows) throws Exception;
    }

    /**
     * A warm-up round of {@code warm} changes, then the measured one of {@code n}: each written while both contenders
     * are stopped, then Tributary catches up, then the baseline. Returns the measured round's {Tributary, raw} events/s.
     */
    static double[] rounds(String label, int warm, int n, Writer writer, Baseline tributary, Baseline baseline, String client) throws Exception {
        int next = 1;
        double ours = 0;
        double base = 0;
        for (String round : new String[]{"warm-up", "measured"}) {
            int changes = round.equals("warm-up") ? warm : n;
            long w0 = System.nanoTime();
            writer.write(next, changes);
            next += changes;
            System.out.printf("%s %s: %,d single-row transactions written in %.1f s%n", label, round, changes, (System.nanoTime() - w0) / 1e9);
            ours = tributary.catchUp(changes);
            base = baseline.catchUp(changes);
            System.out.printf("%s %s: Tributary %,.0f events/s, raw Debezium engine + %s %,.0f events/s, ratio %.2f%n",
                    label, round, ours, client, base, ours / base);
        }
        return new double[]{ours, base};
    }

    /** Tributary in this JVM, REST on a free port; pipelines are created over its API, as an operator would. */
    static final class Running implements AutoCloseable {
        final Path dir;
        final Main main;
        final int port = KafkaBroker.freePort();
        final PipelineRegistry registry;

        Running(Path dir, Map<String, String> properties) throws Exception {
            this.dir = dir;
            Files.createDirectories(dir.resolve("pipelines"));
            main = Tributary.create(new Tributary.Options(dir.resolve("pipelines"), dir.resolve("routes"), dir.resolve("data"), port));
            main.start();
            registry = main.getCamelContext().getRegistry().lookupByNameAndType("pipelines", PipelineRegistry.class);
        }

        /** Creates a pipeline (POST /api/pipelines) and waits until it reads. */
        PipelineRuntime create(String yaml) throws Exception {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/pipelines"))
                    .header("Content-Type", "application/yaml").POST(HttpRequest.BodyPublishers.ofString(yaml)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 201) {
                throw new IllegalStateException("cannot create the pipeline: " + r.statusCode() + " " + r.body());
            }
            PipelineRuntime p = registry.get(JSON.readTree(r.body()).get("name").asText()).orElseThrow();
            waitUntil(() -> p.state() == runtime.PipelineState.RUNNING);
            return p;
        }

        /** The engine settings of a pipeline as Tributary starts it: created here to read them, then deleted with its slot. */
        Properties engineSettings(String pipeline) throws Exception {
            PipelineRuntime p = create(pipeline);
            Properties settings = new Properties();
            settings.putAll(debezium(p));
            p.stop();
            delete(p.name());
            return settings;
        }

        /** Deletes a pipeline (DELETE /api/pipelines/{name}) and its replication slot. */
        void delete(String name) throws Exception {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/api/pipelines/" + name + "?dropSlot=true")).DELETE().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("cannot delete the pipeline: " + r.statusCode() + " " + r.body());
            }
        }

        /** The Debezium settings the pipeline's consumer starts its engine with. */
        Properties debezium(PipelineRuntime p) {
            return ((CdcConsumer) main.getCamelContext().getRoute(p.name()).getConsumer()).debeziumProperties();
        }

        @Override
        public void close() throws Exception {
            main.stop();
        }
    }

    /** Polls every millisecond: the figures are time-to-condition, so a coarser wait would blur them. */
    static void waitUntil(BooleanSupplier condition) throws InterruptedException {
        while (!condition.getAsBoolean()) {
            Thread.sleep(1);
        }
    }

    static int scaled(int n) {
        return Math.max(1000, (int) (n * SCALE));
    }

    static String rate(double perSecond, String unit) {
        return String.format(Locale.ROOT, "%,.0f %s", perSecond, unit);
    }

    static String ratio(double ours, double base) {
        return String.format(Locale.ROOT, "%.2f", ours / base);
    }

    static String verdict(boolean met) {
        return met ? "met" : "NOT met";
    }

    static void print(List<Row> rows, double seconds) {
        System.out.printf("%n%s%n", "=".repeat(40));
        System.out.printf("Tributary benchmark suite — %d cores, Java %s, scale %s, %.1f min%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), SCALE, seconds / 60);
        System.out.println("| what | Tributary | baseline | ratio | goal | |");
        System.out.println("| --- | --- | --- | --- | --- | --- |");
        for (Row r : rows) {
            System.out.printf("| %s | %s | %s | %s | %s | %s |%n", r.what(), r.tributary(), r.baseline(), r.ratio(), r.goal(), r.verdict());
        }
    }
}
