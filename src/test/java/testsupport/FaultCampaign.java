package testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;

/**
 * The fault harness: a pipeline (mode full-and-incremental, several tables, the fat JAR in its own JVM) with a
 * {@link ChangeWriter} writing throughout, and a schedule of process faults — kill -9 at a random moment (often in
 * the snapshot, which a crash makes the source take again), a halt between a batch's acknowledgement and its offset
 * commit and a halt with the offsets file half written (fault points), SIGTERM — each followed by a restart on the
 * same data directory. At the end the writer stops,
 * one last run catches up, and the destination replayed per key is compared with the source ({@link Convergence}).
 */
public final class FaultCampaign {

    /** One row of the campaign table (docs/reliability.md). */
    public record Result(String source, String sink, String faults, int runs, int injected, long changes, long lost,
                         long deletedButAlive, long mismatched, long duplicates, long gaps, double longestRecoverySeconds,
                         String detail, Map<String, Double> longestSinkWaitSeconds) {
        public boolean clean() {
            return lost == 0 && deletedButAlive == 0 && mismatched == 0 && gaps <= 0;
        }

        public String row() {
            return String.format("| %s | %s | %s | %d | %d | %d | %d | %d | %d | %s | %s | %.1f s |", source, sink, faults, runs,
                    injected, changes, lost, deletedButAlive, mismatched, duplicates < 0 ? "n/a" : duplicates,
                    duplicates < 0 || gaps < 0 ? "n/a" : gaps, longestRecoverySeconds);
        }
    }

    /**
     * The source database of a campaign row.
     *
     * @param yaml    the pipeline's {@code source:} line
     * @param objects the pipeline's objects for {@link #TABLES}, given what each adds for the destination
     * @param writer  the application writing to it (the polling source cannot see deletes: its writer deletes nothing)
     * @param ordered every change of a row is delivered, in order (a polling source sees a row's latest state only)
     */
    public record Source(String label, String yaml, java.util.function.UnaryOperator<String> objects, ChangeWriter.Connector db,
                         java.util.function.UnaryOperator<ChangeWriter> writer, boolean ordered) {

        /** A new database on the test PostgreSQL. */
        public static Source postgres(String database) throws Exception {
            return postgres(database, TestServers.postgres().port());
        }

        /** A new database on the test PostgreSQL, which the pipeline reaches at {@code port} (a {@link TcpProxy}'s). */
        public static Source postgres(String database, int port) throws Exception {
            return postgres(TestServers.postgres(), database, port);
        }

        /** A new database on {@code pg}, which the pipeline reaches at {@code port}. */
        public static Source postgres(Postgres pg, String database, int port) throws Exception {
            pg.createDatabase(database);
            return new Source("PostgreSQL", "source: {type: postgres, host: localhost, port: " + port + ", database: " + database
                    + ", user: postgres, password: pw}", pattern("public"), () -> pg.connect(database), w -> w, true);
        }

        /** A new database on the test MariaDB. */
        public static Source mariaDb(String database) throws Exception {
            MariaDb maria = TestServers.mariadb();
            maria.createDatabase(database);
            return new Source("MariaDB", "source: {type: mariadb, host: 127.0.0.1, port: " + maria.port() + ", user: " + MariaDb.USER
                    + ", password: " + MariaDb.PASSWORD + "}", pattern(database), () -> maria.connect(database), w -> w, true);
        }

        /**
         * A new database on the test PostgreSQL read by the JDBC polling source ({@code timestamp+incrementing} on a
         * last-modified column the writer sets; no deletes — polling cannot see them).
         */
        public static Source polledPostgres(String database) throws Exception {
            Postgres pg = TestServers.postgres();
            pg.createDatabase(database);
            UnaryOperator<String> objects = keys -> String.join(", ", TABLES.stream().map(t -> "{table: public." + t
                    + ", pollMode: timestamp+incrementing, incrementingColumn: id, timestampColumn: ts" + keys + "}").toList());
            return new Source("JDBC polling (PostgreSQL)", "source: {type: jdbc, url: \"" + pg.jdbcUrl(database)
                    + "\", user: postgres, password: pw, pollIntervalMs: 200, delayMs: 2000}", objects, () -> pg.connect(database),
                    w -> w.forPolling("ts timestamp(6) NOT NULL DEFAULT clock_timestamp()", "clock_timestamp()"), false);
        }

        /** One object naming every campaign table by a pattern. */
        private static UnaryOperator<String> pattern(String namespace) {
            return keys -> "{table: \"" + namespace + ".camp_*\"" + keys + "}";
        }
    }

    /** The campaign's tables (created by {@link ChangeWriter}) in every row. */
    static final List<String> TABLES = List.of("camp_a", "camp_b", "camp_c");

    /** A test directory with the row's pipeline (mode full-and-incremental over {@link #TABLES}); the destination prepared. */
    private static Path pipeline(String name, Source from, Destination destination, String extraYaml) throws Exception {
        Path dir = Files.createTempDirectory("tributary-" + name);
        Files.createDirectories(dir.resolve("pipelines"));
        Files.writeString(dir.resolve("pipelines/" + name + ".yaml"), "pipeline: " + name + "\n" + from.yaml()
                + "\nmode: full-and-incremental\nbatch: {maxEvents: 500}\n" + extraYaml
                + "objects: [" + from.objects().apply(destination.objectKeys(name)) + "]\n" + destination.sinkYaml(name));
        destination.prepare(name, TABLES);
        return dir;
    }

    /**
     * @param name       pipeline name, topic prefix and folder name
     * @param kills      kill -9 to inject at random moments; a quarter as many (at least one) halts between a batch's
     *                   acknowledgement and its commit, as many halts with the offsets file half written, and as many
     *                   SIGTERMs come on top, in a shuffled order
     */
    public static Result killCampaign(String name, Source from, Destination destination, int kills, long seed) throws Exception {
        String sourceLabel = from.label();
        ChangeWriter.Connector db = from.db();
        Random random = new Random(seed);
        Path dir = pipeline(name, from, destination, "");
        int port = KafkaBroker.freePort();
        int injected = 0;
        int runs = 0;
        double longestRecovery = 0;
        Map<String, Integer> kinds = new LinkedHashMap<>();
        ChangeWriter writer = from.writer().apply(new ChangeWriter(db, TABLES, 300, seed)).create(2_000, "varchar");
        try {
            writer.start();
            List<String> schedule = new ArrayList<>();
            for (int i = 0; i < kills; i++) {
                schedule.add("kill-9");
            }
            for (int i = 0; i < Math.max(1, kills / 4); i++) {
                schedule.add("halt-after-ack");
                schedule.add("halt-mid-offsets-write");
                schedule.add("sigterm");
            }
            java.util.Collections.shuffle(schedule, random);
            for (int i = 0; i < schedule.size(); i++) {
                String kind = schedule.get(i);
                kinds.merge(kind, 1, Integer::sum);
                int occurrence = 1 + random.nextInt(12);
                String[] jvm = switch (kind) {
                    case "halt-after-ack" -> new String[]{"-Dtributary.faults.halt=" + faults.FaultPoints.BATCH_ACKED + "@" + occurrence};
                    case "halt-mid-offsets-write" -> new String[]{"-Dtributary.faults.halt=" + faults.FaultPoints.STATE_HALF_WRITTEN + "@" + occurrence};
                    default -> new String[0];
                };
                long t0 = System.nanoTime();
                TributaryJar jar = TributaryJar.start(dir, port, name + "-" + i, jvm);
                runs++;
                try {
                    double recovery = awaitFirstDelivery(jar, name, t0);
                    longestRecovery = Math.max(longestRecovery, recovery);
                    if (kind.startsWith("halt-")) {
                        if (!jar.process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                            jar.kill(); // fewer batches than the occurrence: a kill instead
                        }
                    } else {
                        Thread.sleep(random.nextInt(4_000));
                        if (kind.equals("sigterm")) {
                            jar.terminate();
                        } else {
                            jar.kill();
                        }
                    }
                    injected++;
                } finally {
                    jar.kill();
                }
            }
        } finally {
            writer.close();
        }
        Map<String, Map<String, String>> source = Convergence.sourceRows(db, TABLES);
        long t0 = System.nanoTime();
        try (TributaryJar last = TributaryJar.start(dir, port, name + "-last")) {
            runs++;
            longestRecovery = Math.max(longestRecovery, awaitFirstDelivery(last, name, t0));
            Convergence.Report r = destination.awaitConverged(name, TABLES, source, from.ordered(), Duration.ofSeconds(180));
            System.out.printf("fault campaign %s → %s: %d runs, %d faults %s, %d initial rows + %d changes in %d transactions; %s%n",
                    sourceLabel, destination.label(), runs, injected, kinds, 3 * 2_000, writer.changes(), writer.transactions(), r);
            return new Result(sourceLabel, destination.label(), String.join("+", kinds.keySet()), runs, injected, writer.changes(),
                    r.diff().lost().size(), r.diff().deletedButAlive().size(), r.diff().mismatched().size(), r.duplicates(),
                    from.ordered() ? r.gaps().size() : -1, longestRecovery, r.toString(), Map.of());
        } finally {
            Dirs.delete(dir);
        }
    }

    /**
     * Faults while one JAR runs: a writer throughout, each fault injected {@code rounds} times at random moments; after
     * each, the time until the pipeline delivers again (it must resume by itself, no restart, no call). At the end the
     * pipeline must be RUNNING and the destination equal to the source.
     */
    public static Result liveCampaign(String name, Source from, Destination destination, List<LiveFault> faults, int rounds, long seed)
            throws Exception {
        String sourceLabel = from.label();
        ChangeWriter.Connector db = from.db();
        Random random = new Random(seed);
        // nothing but the fault may stop the pipeline: retries for as long as a fault lasts
        Path dir = pipeline(name, from, destination, "errors: {retries: 1000, retryDelayMs: 500, maxRetryDelayMs: 5000}\n");
        int port = KafkaBroker.freePort();
        int injected = 0;
        double longestRecovery = 0;
        Map<String, Double> longestWaits = new LinkedHashMap<>();
        ChangeWriter writer = from.writer().apply(new ChangeWriter(db, TABLES, 300, seed)).create(2_000, "varchar");
        try (TributaryJar jar = TributaryJar.start(dir, port, name)) {
            writer.start();
            awaitFirstDelivery(jar, name, System.nanoTime());
            for (int round = 0; round < rounds; round++) {
                for (LiveFault fault : faults) {
                    Thread.sleep(1_000 + random.nextInt(3_000));
                    long errorsBefore = jar.status(name).at("/errors/count").asLong();
                    // what the status shows while the fault lasts: the batch waiting for the sink, errors
                    java.util.concurrent.atomic.AtomicReference<Double> longestWait = new java.util.concurrent.atomic.AtomicReference<>(0.0);
                    java.util.concurrent.atomic.AtomicBoolean faultOver = new java.util.concurrent.atomic.AtomicBoolean();
                    Thread sampler = new Thread(() -> {
                        while (!faultOver.get()) {
                            double waiting = jar.status(name).at("/sink/waitingSeconds").asDouble(0);
                            longestWait.updateAndGet(w -> Math.max(w, waiting));
                            try {
                                Thread.sleep(500);
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    }, "status-sampler");
                    sampler.start();
                    try {
                        fault.inject();
                    } finally {
                        faultOver.set(true);
                        sampler.join();
                    }
                    injected++;
                    long t0 = System.nanoTime();
                    long before = jar.delivered(name);
                    while (jar.delivered(name) <= before && System.nanoTime() - t0 < Duration.ofSeconds(180).toNanos()) {
                        Thread.sleep(100);
                    }
                    double recovery = (System.nanoTime() - t0) / 1e9;
                    long errorsShown = jar.status(name).at("/errors/count").asLong() - errorsBefore;
                    longestWaits.merge(fault.label(), longestWait.get(), Math::max);
                    System.out.printf("%s: %s, delivering again %.1f s after it ended; meanwhile the status showed the sink waiting up to %.1f s"
                            + " and %d errors%n", name, fault.label(), recovery, longestWait.get(), errorsShown);
                    longestRecovery = Math.max(longestRecovery, recovery);
                }
            }
            writer.close();
            Map<String, Map<String, String>> source = Convergence.sourceRows(db, TABLES);
            Convergence.Report r = destination.awaitConverged(name, TABLES, source, from.ordered(), Duration.ofSeconds(240));
            String state = jar.status(name).path("state").asText();
            long errors = jar.status(name).at("/errors/count").asLong();
            String labels = String.join(" + ", faults.stream().map(LiveFault::label).toList());
            System.out.printf("fault campaign %s → %s, %s ×%d: state %s, %d errors shown, %d changes; %s%n", sourceLabel,
                    destination.label(), labels, rounds, state, errors, writer.changes(), r);
            boolean resumed = state.equals("RUNNING");
            return new Result(sourceLabel, destination.label(), labels, 1, injected, writer.changes(),
                    r.diff().lost().size(), r.diff().deletedButAlive().size() + (resumed ? 0 : 1_000_000), r.diff().mismatched().size(),
                    r.duplicates(), from.ordered() ? r.gaps().size() : -1, longestRecovery, (resumed ? "" : "pipeline not RUNNING: " + state + "; ") + r,
                    longestWaits);
        } finally {
            writer.close();
            Dirs.delete(dir);
        }
    }

    /** Seconds from the process start until the pipeline delivered its first change (or 0 if it never did in 120 s). */
    private static double awaitFirstDelivery(TributaryJar jar, String pipeline, long startNanos) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline && jar.process.isAlive()) {
            if (jar.delivered(pipeline) > 0) {
                return (System.nanoTime() - startNanos) / 1e9;
            }
            Thread.sleep(100);
        }
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private FaultCampaign() {
    }

    /** The markdown table header that {@link Result#row()} fills. */
    public static List<String> header() {
        return new ArrayList<>(List.of(
                "| source | sink | faults | runs | faults injected | changes written | lost | deleted but alive | mismatched | duplicates | gaps | longest recovery |",
                "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"));
    }
}
