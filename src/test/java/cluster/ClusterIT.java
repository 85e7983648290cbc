package cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import testsupport.Dirs;
import testsupport.KafkaBroker;
import testsupport.MariaDb;
import testsupport.OrderedQueueReader;
import testsupport.RocketMqBroker;
import testsupport.Postgres;
import testsupport.TestServers;
import testsupport.TopicsReader;
import testsupport.TributaryJar;

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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three Tributary nodes from the fat JAR, each in its own JVM, share six PostgreSQL → Kafka pipelines through an
 * in-process ZooKeeper and a PostgreSQL state database (docs/cluster.md). While a writer updates rows of all six tables,
 * the owner of one pipeline is killed with -9: its pipelines resume on the others, and every topic ends with every
 * update of every key, in per-key order (at-least-once: a stretch delivered again after the kill re-runs in order). A
 * fourth node joining takes its share.
 */
class ClusterIT {

    static final int PIPELINES = 6;
    static final int KEYS = 40;
    /** Owners killed one after another (each restarted before the next); -Dcluster.kills=10 measures failover times. */
    static final int KILLS = Integer.getInteger("cluster.kills", 1);
    static final ObjectMapper JSON = new ObjectMapper();

    static TestingServer zookeeper;
    /** Starts per node, so that each run of a node logs to a file of its own. */
    final Map<String, Integer> starts = new HashMap<>();
    final Postgres pg = TestServers.postgres();
    final String kafka = TestServers.kafka().bootstrap();

    @BeforeAll
    static void zookeeper() throws Exception {
        // ticks of 500 ms: sessions of 1–10 s may be asked for, as a real ensemble configured for fast failover allows
        zookeeper = new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, 500, -1), true);
    }

    @AfterAll
    static void stopZookeeper() throws Exception {
        zookeeper.close();
    }

    @Test
    void sixPipelinesSpreadOverThreeNodesSurviveKillNineOfAnOwnerAndRebalanceForAFourth() throws Exception {
        pg.createDatabase("clsrc");
        pg.createDatabase("clstate");
        List<String> ddl = new ArrayList<>();
        for (int t = 1; t <= PIPELINES; t++) {
            ddl.add("CREATE TABLE t" + t + " (id int PRIMARY KEY, seq int NOT NULL, note text)");
            ddl.add("INSERT INTO t" + t + " SELECT g, 0, 'row ' || g FROM generate_series(1, " + KEYS + ") g");
        }
        pg.execute("clsrc", ddl.toArray(String[]::new));
        List<String> topics = new ArrayList<>();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka))) {
            List<NewTopic> created = new ArrayList<>();
            for (int t = 1; t <= PIPELINES; t++) {
                topics.add("cl.t" + t);
                created.add(new NewTopic("cl.t" + t, 1, (short) 1));
            }
            admin.createTopics(created).all().get();
        }
        Path base = Files.createTempDirectory("tributary-cluster");
        List<TributaryJar> nodes = new ArrayList<>();
        Map<String, TributaryJar> byName = new LinkedHashMap<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        try {
            for (String n : List.of("a", "b", "c")) {
                TributaryJar node = startNode(base, n, n.equals("a"));
                nodes.add(node);
                byName.put(n, node);
            }
            TributaryJar a = byName.get("a");
            JsonNode cluster = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .until(() -> cluster(a), c -> c.path("members").size() == 3 && allOwnedAndRunning(c, byName));
            Map<String, Integer> spread = spread(cluster);
            System.out.println("cluster: 3 nodes, pipelines per node " + spread + "; " + cluster.path("pipelines"));
            assertEquals(Map.of("a", 2, "b", 2, "c", 2), spread, "six pipelines over three nodes: two each");
            testsupport.Cli.Run cli = testsupport.Cli.run("cluster", "--server", "http://127.0.0.1:" + a.port);
            System.out.println("cluster: the CLI's view\n" + cli.out());
            assertEquals(0, cli.exit(), cli.err());
            assertTrue(cli.out().contains("p1") && cli.out().contains(owner(cluster, "p1")), cli.out());
            // any node answers for any pipeline: a's answer for a pipeline c owns is c's own status
            String cOwns = cluster.path("members").findValues("pipelines").stream().filter(x -> x.toString().contains("p"))
                    .map(x -> x.get(0).asText()).filter(p -> "c".equals(owner(cluster, p))).findFirst().orElseThrow();
            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.port + "/metrics"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            assertEquals(2, metrics.lines().filter(l -> l.startsWith("tributary_pipeline_owner{") && l.contains("node=\"a\"")
                    && l.endsWith(" 1.0")).count(), "a owns two pipelines: " + metrics.lines().filter(l -> l.contains("owner")).toList());
            JsonNode viaA = a.status(cOwns);
            assertEquals("RUNNING", viaA.path("state").asText(), viaA.toString());
            assertEquals("c", viaA.at("/cluster/owner/node").asText(), viaA.toString());

            AtomicLong updates = new AtomicLong();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> write(writing, updates));
            await().atMost(Duration.ofSeconds(60)).until(() -> updates.get() >= 1_500);
            List<Double> failovers = new ArrayList<>();
            for (int k = 1; k <= KILLS; k++) {
                String pipeline = "p" + (1 + (k - 1) % PIPELINES);
                TributaryJar any = byName.values().iterator().next();
                String victim = owner(cluster(any), pipeline);
                TributaryJar killed = byName.remove(victim);
                long killedAt = System.nanoTime();
                killed.kill();
                nodes.remove(killed);
                TributaryJar survivor = byName.values().iterator().next();
                String newOwner = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                        .until(() -> {
                            String o = owner(cluster(survivor), pipeline);
                            return o != null && !o.equals(victim) && byName.get(o).delivered(pipeline) > 0 ? o : null;
                        }, o -> o != null);
                double seconds = (System.nanoTime() - killedAt) / 1e9;
                failovers.add(seconds);
                System.out.printf("cluster: kill %d: node %s (owner of %s) killed with -9; %s's first change from its new owner %s"
                        + " after %.2f s%n", k, victim, pipeline, pipeline, newOwner, seconds);
                JsonNode after = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                        .until(() -> cluster(survivor), c -> c.path("members").size() == 2 && allOwnedAndRunning(c, byName));
                assertTrue(spread(after).values().stream().allMatch(n -> n <= 3), "at most ⌈6/2⌉ + 1 per node: " + spread(after));
                TributaryJar back = startNode(base, victim, false);
                nodes.add(back);
                byName.put(victim, back);
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                        .until(() -> cluster(back), c -> c.path("members").size() == 3 && allOwnedAndRunning(c, byName));
            }
            List<Double> sorted = failovers.stream().sorted().toList();
            System.out.printf("cluster: failover over %d kill(s) (kill -9 → first change from the new owner): p50 %.2f s, max %.2f s;"
                    + " session timeout 6 s%n", sorted.size(), sorted.get((sorted.size() - 1) / 2), sorted.get(sorted.size() - 1));

            TributaryJar d = startNode(base, "d", false);
            nodes.add(d);
            byName.put("d", d);
            JsonNode four = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .until(() -> cluster(d), c -> c.path("members").size() == 4 && allOwnedAndRunning(c, byName)
                            && spread(c).getOrDefault("d", 0) >= 1);
            System.out.println("cluster: node d joined, pipelines per node " + spread(four));
            assertTrue(spread(four).values().stream().allMatch(n -> n <= 3), "at most ⌈6/4⌉ + 1 per node: " + spread(four));

            for (String n : List.of("a", "b", "c")) { // a rolling restart: each node stopped (SIGTERM) and started again in turn
                TributaryJar old = byName.remove(n);
                long stoppedAt = System.nanoTime();
                old.process.destroy(); // SIGTERM: Camel's graceful shutdown; the node hands its pipelines over first
                TributaryJar other = byName.values().iterator().next();
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                        .until(() -> cluster(other), c -> c.path("members").size() == 3 && allOwnedAndRunning(c, byName));
                double moved = (System.nanoTime() - stoppedAt) / 1e9;
                old.terminate();
                double exited = (System.nanoTime() - stoppedAt) / 1e9;
                nodes.remove(old);
                TributaryJar again = startNode(base, n, false);
                nodes.add(again);
                byName.put(n, again);
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                        .until(() -> cluster(again), c -> c.path("members").size() == 4 && allOwnedAndRunning(c, byName));
                System.out.printf("cluster: rolling restart: %s sent SIGTERM, its pipelines running elsewhere %.2f s later (the JVM ended"
                        + " after %.2f s); %s back%n", n, moved, exited, n);
            }

            // ZooKeeper away longer than the sessions: every node loses every pipeline and stops it; back, they sort it out again
            zookeeper.stop();
            Thread.sleep(8_000);
            zookeeper.restart();
            long zkBack = System.nanoTime();
            JsonNode recovered = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .until(() -> cluster(d), c -> c.path("members").size() == 4 && allOwnedAndRunning(c, byName));
            System.out.printf("cluster: ZooKeeper stopped for 8 s and started again; every pipeline running again %.2f s later, per node %s%n",
                    (System.nanoTime() - zkBack) / 1e9, spread(recovered));

            writing.set(false);
            writer.get();
            Map<String, Map<Integer, Integer>> expected = finalSeqs();
            try (TopicsReader reader = new TopicsReader(kafka, topics)) {
                Map<String, List<ConsumerRecord<String, String>>> read = reader.readUntil(r -> complete(r, expected), Duration.ofSeconds(120));
                int delivered = 0;
                for (int t = 1; t <= PIPELINES; t++) {
                    String problem = check(read.get("cl.t" + t), expected.get("t" + t));
                    assertEquals("", problem, "cl.t" + t);
                    delivered += read.get("cl.t" + t).size();
                }
                System.out.printf("cluster: %d updates written; %d messages in the six topics; every update of every key there,"
                        + " in per-key order%n", updates.get(), delivered);
            }
        } finally {
            writing.set(false);
            for (TributaryJar n : nodes) {
                n.kill();
            }
            Dirs.delete(base);
        }
    }

    /**
     * Fencing: the owner of a pipeline is frozen (SIGSTOP) longer than its ZooKeeper session; the other node takes the
     * pipeline over and delivers; the old owner, thawed (SIGCONT), stops the pipeline by itself, and nothing it held is
     * written or committed after the takeover: Kafka refuses its producer (the new owner's transactional producer fenced
     * it), the state database refuses its offsets (older epoch), and every topic still holds every update in per-key order.
     */
    @Test
    void anOwnerFrozenBeyondItsSessionIsFencedWhenItWakes() throws Exception {
        int tables = 3; // t1, t2 → Kafka (f1, f2); t3 → a PostgreSQL copy through the JDBC sink (j1)
        pg.createDatabase("clfence");
        pg.createDatabase("clfencestate");
        pg.createDatabase("clfencecopy");
        List<String> ddl = new ArrayList<>();
        for (int t = 1; t <= tables; t++) {
            ddl.add("CREATE TABLE t" + t + " (id int PRIMARY KEY, seq int NOT NULL, note text)");
            ddl.add("INSERT INTO t" + t + " SELECT g, 0, 'row ' || g FROM generate_series(1, " + KEYS + ") g");
        }
        pg.execute("clfence", ddl.toArray(String[]::new));
        List<String> topics = List.of("fe.t1", "fe.t2");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka))) {
            admin.createTopics(topics.stream().map(t -> new NewTopic(t, 1, (short) 1)).toList()).all().get();
        }
        Map<String, String> files = new LinkedHashMap<>();
        for (int t = 1; t <= 2; t++) {
            files.put("f" + t, """
                    pipeline: f%d
                    source: {type: postgres, host: localhost, port: %d, database: clfence, user: %s, password: %s}
                    objects: [{table: public.t%d, topic: fe.t%d}]
                    format: json-row
                    sink: {type: kafka, brokers: "%s"}
                    batch: {maxEvents: 200}
                    """.formatted(t, pg.port(), Postgres.USER, Postgres.PASSWORD, t, t, kafka));
        }
        // rendezvous over x and y puts j1 with f1 (BoundedRendezvous is deterministic), so the frozen node holds both sinks
        files.put("j1", pgToJdbc("j1", "clfence", "public.t3", "clfencecopy", 200));
        Path base = Files.createTempDirectory("tributary-fence");
        Map<String, TributaryJar> nodes = new LinkedHashMap<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        TributaryJar frozen = null;
        String state = pg.jdbcUrl("clfencestate");
        try {
            // x freezes itself at the worst moment: inside a state write's transaction, the owner row locked (the fence)
            nodes.put("x", launchNode(base, "x", "f", files, state, Postgres.USER, Postgres.PASSWORD, "/tributary-fence",
                    "-Dtributary.faults.freeze=" + faults.FaultPoints.STATE_OWNER_LOCKED + "@150").awaitHealthy());
            nodes.put("y", startNodeWith(base, "y", "f", Map.of(), state, Postgres.USER, Postgres.PASSWORD, "/tributary-fence"));
            TributaryJar x = nodes.get("x");
            JsonNode cluster = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .until(() -> cluster(x), c -> c.path("members").size() == 2 && ownedAndRunning(c, nodes, 3)
                            && owner(c, "f1").equals("x") && owner(c, "j1").equals("x") && owner(c, "f2").equals("y"));
            AtomicLong updates = new AtomicLong();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> write("clfence", tables, writing, updates));
            String victim = "x";
            String other = "y";
            Map<String, Long> oldEpochs = Map.of("f1", epoch(cluster, "f1"), "j1", epoch(cluster, "j1"));
            frozen = nodes.get(victim);
            TributaryJar survivor = nodes.get(other);
            TributaryJar freezing = frozen;
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20)).until(freezing::isStopped);
            long frozenAt = System.nanoTime();
            long updatesAtFreeze = updates.get();
            assertTrue(updatesAtFreeze > 0, "the writer ran before the freeze");
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                    .until(() -> other.equals(owner(cluster(survivor), "f1")) && survivor.delivered("f1") > 0
                            && other.equals(owner(cluster(survivor), "j1")) && survivor.delivered("j1") > 0);
            double takeover = (System.nanoTime() - frozenAt) / 1e9;
            JsonNode after = cluster(survivor);
            Map<String, Long> newEpochs = Map.of("f1", epoch(after, "f1"), "j1", epoch(after, "j1"));
            Thread.sleep(3_000); // the new owner delivers and commits for a while; the old one stays frozen
            frozen.freeze(false);
            long thawedAt = System.nanoTime();
            TributaryJar thawed = frozen;
            for (String p : List.of("f1", "j1")) {
                String stateAfterThaw = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                        .until(() -> thawed.localStatus(p).path("state").asText(), st -> !st.equals("RUNNING") && !st.isEmpty());
                System.out.printf("cluster fencing: %s (owner of %s, epoch %d) froze itself inside a state write, its owner row locked"
                                + " (%d updates written by then); %s took %s over under epoch %d and delivered %.2f s later (both pipelines);"
                                + " after SIGCONT the old owner stopped %s by itself (%s) within %.2f s%n",
                        victim, p, oldEpochs.get(p), updatesAtFreeze, other, p, newEpochs.get(p), takeover, p, stateAfterThaw,
                        (System.nanoTime() - thawedAt) / 1e9);
                assertTrue(newEpochs.get(p) > oldEpochs.get(p));
            }
            Thread.sleep(5_000);
            writing.set(false);
            writer.get();
            // no state file of f1 or j1 was last written under the old epoch: the old owner committed nothing after the takeover
            for (String p : List.of("f1", "j1")) {
                try (Connection c = pg.connect("clfencestate"); Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("SELECT file, epoch FROM tributary_state WHERE pipeline = '" + p + "'")) {
                    int stateFiles = 0;
                    while (rs.next()) {
                        stateFiles++;
                        // the new epoch, or a later one when the thawed node rejoined and the pipeline moved back to it
                        assertTrue(rs.getLong(2) >= newEpochs.get(p), "state file " + rs.getString(1) + " of " + p + " written under epoch " + rs.getLong(2));
                    }
                    assertTrue(stateFiles > 0);
                }
            }
            Map<String, Map<Integer, Integer>> expected = finalSeqs("clfence", tables);
            try (TopicsReader reader = new TopicsReader(kafka, topics)) {
                Map<String, List<ConsumerRecord<String, String>>> read = reader.readUntil(r -> complete(r, expected, "fe", 2),
                        Duration.ofSeconds(120));
                for (int t = 1; t <= 2; t++) {
                    assertEquals("", check(read.get("fe.t" + t), expected.get("t" + t)), "fe.t" + t);
                }
            }
            // the copy equals the source, and the last commit into it carried the new owner's epoch
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                    .until(() -> seqs("clfencecopy", "t3").equals(expected.get("t3")));
            try (Connection c = pg.connect("clfencecopy"); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT epoch FROM tributary_epochs WHERE pipeline = 'j1'")) {
                assertTrue(rs.next());
                assertTrue(rs.getLong(1) >= newEpochs.get("j1"), "the copy's epoch row: " + rs.getLong(1));
            }
            System.out.printf("cluster fencing: %d updates written; both topics hold every update in per-key order and the JDBC"
                    + " copy equals its source, nothing of the frozen owner's after the takeover%n", updates.get());
            String log = Files.readString(Path.of("target", "jar-cluster-f-" + victim + "-1.log"));
            for (String p : List.of("f1", "j1")) {
                assertTrue(log.contains("pipeline '" + p + "' lost (epoch " + oldEpochs.get(p) + ")"), "the thawed owner noticed it lost " + p);
            }
        } finally {
            writing.set(false);
            if (frozen != null) {
                frozen.freeze(false);
            }
            for (TributaryJar n : nodes.values()) {
                n.kill();
            }
            Dirs.delete(base);
        }
    }

    private Map<Integer, Integer> seqs(String database, String table) throws Exception {
        Map<Integer, Integer> seqs = new HashMap<>();
        try (Connection c = pg.connect(database); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, seq FROM " + table)) {
            while (rs.next()) {
                seqs.put(rs.getInt(1), rs.getInt(2));
            }
        }
        return seqs;
    }

    static long epoch(JsonNode cluster, String pipeline) {
        for (JsonNode p : cluster.path("pipelines")) {
            if (p.path("pipeline").asText().equals(pipeline)) {
                return p.path("epoch").asLong();
            }
        }
        return 0;
    }

    static boolean ownedAndRunning(JsonNode cluster, Map<String, TributaryJar> nodes, int pipelines) {
        if (cluster.path("pipelines").size() != pipelines) {
            return false;
        }
        for (JsonNode p : cluster.path("pipelines")) {
            String owner = p.path("ownerLive").asBoolean() ? p.path("owner").asText() : null;
            if (owner == null || !nodes.containsKey(owner)
                    || !"RUNNING".equals(nodes.get(owner).status(p.path("pipeline").asText()).path("state").asText())) {
                return false;
            }
        }
        return true;
    }

    private TributaryJar startNode(Path base, String name, boolean seed) throws Exception {
        return startNode(base, name, seed ? PIPELINES : 0, "p", "clsrc", "cl", "clstate", "/tributary-it");
    }

    /** A node; with {@code seed} > 0 its pipelines folder holds pipelines PREFIX1.. of tables t1.. of database {@code source}. */
    private TributaryJar startNode(Path base, String name, int seed, String prefix, String source, String topicPrefix,
                                   String stateDb, String root) throws Exception {
        Map<String, String> files = new LinkedHashMap<>();
        for (int t = 1; t <= seed; t++) {
            files.put(prefix + t, """
                    pipeline: %s%d
                    source: {type: postgres, host: localhost, port: %d, database: %s, user: %s, password: %s}
                    objects: [{table: public.t%d, topic: %s.t%d}]
                    format: json-row
                    sink: {type: kafka, brokers: "%s"}
                    batch: {maxEvents: 200}
                    """.formatted(prefix, t, pg.port(), source, Postgres.USER, Postgres.PASSWORD, t, topicPrefix, t, kafka));
        }
        return startNodeWith(base, name, prefix, files, pg.jdbcUrl(stateDb), Postgres.USER, Postgres.PASSWORD, root);
    }

    /** A node whose pipelines folder holds {@code files} (name → YAML), its state database at {@code stateUrl}. */
    private TributaryJar startNodeWith(Path base, String name, String prefix, Map<String, String> files, String stateUrl,
                                       String stateUser, String statePassword, String root) throws Exception {
        return launchNode(base, name, prefix, files, stateUrl, stateUser, statePassword, root).awaitHealthy();
    }

    /** {@link #startNodeWith} without waiting for its REST API; {@code jvmArgs} e.g. a fault point. */
    private TributaryJar launchNode(Path base, String name, String prefix, Map<String, String> files, String stateUrl,
                                    String stateUser, String statePassword, String root, String... jvmArgs) throws Exception {
        Path dir = base.resolve(prefix + "-" + name);
        Files.createDirectories(dir.resolve("pipelines"));
        for (Map.Entry<String, String> f : files.entrySet()) {
            Files.writeString(dir.resolve("pipelines/" + f.getKey() + ".yaml"), f.getValue());
        }
        int port = KafkaBroker.freePort();
        Files.writeString(dir.resolve("application.properties"), """
                tributary.state.url=%s
                tributary.state.user=%s
                tributary.state.password=%s
                tributary.cluster.sessionTimeoutMs=6000
                tributary.cluster.advertisedUrl=http://127.0.0.1:%d
                """.formatted(stateUrl, stateUser, statePassword, port));
        int incarnation = starts.merge(prefix + "-" + name, 1, Integer::sum);
        return TributaryJar.startWith(dir, port, "cluster-" + prefix + "-" + name + "-" + incarnation, List.of("--properties", dir.resolve("application.properties").toString(),
                "--cluster", "zookeeper://" + zookeeper.getConnectString() + root, "--node", name), jvmArgs);
    }

    /**
     * The worst moment for a snapshot in a cluster: its owner dies (halted, as kill -9 would) right after the snapshot's
     * last batch was acknowledged and before the snapshot's end was committed. Meanwhile rows are deleted, updated and
     * inserted. The node that takes the pipeline over takes the snapshot again, with the first attempt's ledger from the
     * state database, and deletes the rows that attempt delivered and that are gone: the JDBC copy equals the source.
     */
    @Test
    void aSnapshotCutOffByItsOwnersDeathIsTakenAgainOnAnotherNodeAndConverges() throws Exception {
        int rows = 20_000;
        for (String db : List.of("clretake", "clretakecopy", "clretakestate")) {
            pg.createDatabase(db);
        }
        pg.execute("clretake", "CREATE TABLE t (id int PRIMARY KEY, v text NOT NULL, n int NOT NULL)",
                "INSERT INTO t SELECT g, 'row ' || g, 0 FROM generate_series(1, " + rows + ") g");
        Map<String, String> files = Map.of("r1", pgToJdbc("r1", "clretake", "public.t", "clretakecopy", 500));
        Path base = Files.createTempDirectory("tributary-cluster-retake");
        String state = pg.jdbcUrl("clretakestate");
        TributaryJar second = null;
        try (TributaryJar first = launchNode(base, "ra", "r", files, state, Postgres.USER, Postgres.PASSWORD, "/tributary-retake",
                "-Dtributary.faults.halt=snapshot-end-acked")) {
            assertEquals(137, first.awaitExit(Duration.ofSeconds(180)), "halted once the snapshot's end was acknowledged");
            assertEquals(String.valueOf(rows), tableSum("clretakecopy").split(":")[0], "the first attempt delivered the whole snapshot");
            pg.execute("clretake", "DELETE FROM t WHERE id % 10 = 0", "UPDATE t SET n = 1, v = 'updated' WHERE id % 10 = 1",
                    "INSERT INTO t SELECT g, 'new', 2 FROM generate_series(" + (rows + 1) + ", " + (rows + 100) + ") g");
            String source = tableSum("clretake");
            long started = System.nanoTime();
            second = startNodeWith(base, "rb", "r", Map.of(), state, Postgres.USER, Postgres.PASSWORD, "/tributary-retake");
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                    .until(() -> tableSum("clretakecopy").equals(source));
            String log = Files.readString(Path.of("target", "jar-cluster-r-rb-1.log"));
            assertTrue(log.contains("a snapshot is taken again (attempt 2)"), "the other node continued the first attempt's ledger");
            assertTrue(log.contains("2000 rows delivered by an earlier snapshot attempt are gone"), "and swept the 2,000 deleted rows");
            System.out.printf("cluster snapshot retake: the owner halted after its snapshot's last batch was acknowledged; the other"
                    + " node took the snapshot again with the first attempt's ledger, deleted the 2,000 rows gone meanwhile, and the"
                    + " copy equalled the source %.1f s after that node started%n", (System.nanoTime() - started) / 1e9);
        } finally {
            if (second != null) {
                second.kill();
            }
            Dirs.delete(base);
        }
    }

    /** A pipeline file: {@code table} of PostgreSQL database {@code source} into database {@code copy} through the JDBC sink. */
    private String pgToJdbc(String name, String source, String table, String copy, int maxEvents) {
        return """
                pipeline: %s
                source: {type: postgres, host: localhost, port: %d, database: %s, user: %s, password: %s}
                objects: [{table: %s}]
                sink: {type: jdbc, url: "%s", user: %s, password: %s, autoCreate: true}
                batch: {maxEvents: %d}
                """.formatted(name, pg.port(), source, Postgres.USER, Postgres.PASSWORD, table, pg.jdbcUrl(copy),
                Postgres.USER, Postgres.PASSWORD, maxEvents);
    }

    /** Row count and a digest of table t of {@code database}, ordered by id. */
    private String tableSum(String database) throws Exception {
        try (Connection c = pg.connect(database); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) || ':' || coalesce(md5(string_agg(id || ',' || v || ',' || n, '|' ORDER BY id)), '-') FROM t")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /**
     * A binlog source and the RocketMQ sink in a cluster: two MariaDB → RocketMQ pipelines
     * on two nodes; the owner of one is killed with -9 while a writer runs; the other node takes it over with the
     * schema history and offsets from the state database, and every queue holds every update of every key in order.
     */
    @Test
    void aBinlogPipelineToRocketMqMovesToTheOtherNodeAfterKillNine() throws Exception {
        MariaDb maria = TestServers.mariadb();
        RocketMqBroker mq = TestServers.rocketmq();
        int tables = 2;
        // both pipelines on tables of one database: each one's engine sees the other's table change and passes it by
        // the state database on another server than the source: a binlog snapshot's global read lock would also hold
        // the schema history's write to a state database on the source's server (docs/cluster.md)
        pg.createDatabase("clmstate");
        maria.createDatabase("clmariaone");
        for (int t = 1; t <= tables; t++) {
            StringBuilder rows = new StringBuilder("INSERT INTO t" + t + " VALUES ");
            for (int id = 1; id <= KEYS; id++) {
                rows.append(id > 1 ? "," : "").append("(").append(id).append(", 0, 'row ").append(id).append("')");
            }
            maria.execute("clmariaone", "CREATE TABLE t" + t + " (id INT PRIMARY KEY, seq INT NOT NULL, note VARCHAR(32))", rows.toString());
            mq.createTopic("clmq_t" + t, 4);
        }
        Map<String, String> files = new LinkedHashMap<>();
        for (int t = 1; t <= tables; t++) {
            files.put("m" + t, """
                    pipeline: m%d
                    source: {type: mariadb, host: 127.0.0.1, port: %d, user: %s, password: %s}
                    objects: [{table: clmariaone.t%d, topic: clmq_t%d}]
                    format: json-row
                    sink: {type: rocketmq, namesrv: "%s"}
                    batch: {maxEvents: 200}
                    """.formatted(t, maria.port(), MariaDb.USER, MariaDb.PASSWORD, t, t, mq.namesrv()));
        }
        Path base = Files.createTempDirectory("tributary-cluster-maria");
        Map<String, TributaryJar> nodes = new LinkedHashMap<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        String state = pg.jdbcUrl("clmstate");
        try {
            nodes.put("mx", startNodeWith(base, "mx", "m", files, state, Postgres.USER, Postgres.PASSWORD, "/tributary-maria"));
            nodes.put("my", startNodeWith(base, "my", "m", Map.of(), state, Postgres.USER, Postgres.PASSWORD, "/tributary-maria"));
            TributaryJar x = nodes.get("mx");
            JsonNode cluster = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .until(() -> cluster(x), c -> c.path("members").size() == 2 && ownedAndRunning(c, nodes, tables));
            AtomicLong updates = new AtomicLong();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try (Connection c = maria.connect("clmariaone"); Statement st = c.createStatement()) {
                    while (writing.get()) {
                        int t = 1 + ThreadLocalRandom.current().nextInt(tables);
                        st.executeUpdate("UPDATE clmariaone.t" + t + " SET seq = seq + 1 WHERE id = " + (1 + ThreadLocalRandom.current().nextInt(KEYS)));
                        if (updates.incrementAndGet() % 50 == 0) {
                            Thread.sleep(20);
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(Duration.ofSeconds(60)).until(() -> updates.get() >= 1_000);
            String victim = owner(cluster, "m1");
            TributaryJar survivor = nodes.get(victim.equals("mx") ? "my" : "mx");
            long killedAt = System.nanoTime();
            nodes.remove(victim).kill();
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                    .until(() -> !victim.equals(owner(cluster(survivor), "m1")) && survivor.delivered("m1") > 0);
            System.out.printf("cluster (MariaDB → RocketMQ): %s (owner of m1) killed with -9; m1's first change"
                    + " from the other node %.2f s later%n", victim, (System.nanoTime() - killedAt) / 1e9);
            Thread.sleep(3_000);
            writing.set(false);
            writer.get();
            for (int t = 1; t <= tables; t++) {
                Map<Integer, Integer> expected = new HashMap<>();
                try (Connection c = maria.connect("clmariaone"); Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("SELECT id, seq FROM t" + t)) {
                    while (rs.next()) {
                        expected.put(rs.getInt(1), rs.getInt(2));
                    }
                }
                try (OrderedQueueReader reader = new OrderedQueueReader(mq.namesrv(), "clmq_t" + t, "clcheck-" + t)) {
                    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                            .until(() -> lastSeqs(reader.received).equals(expected));
                    List<ConsumerRecord<String, String>> asRecords = new ArrayList<>();
                    for (org.apache.rocketmq.common.message.MessageExt m : reader.received) {
                        asRecords.add(new ConsumerRecord<>("clmq_t" + t, 0, 0, null, new String(m.getBody(), java.nio.charset.StandardCharsets.UTF_8)));
                    }
                    assertEquals("", check(asRecords, expected), "clmq_t" + t);
                    System.out.printf("cluster (MariaDB → RocketMQ): clmq_t%d holds every update of its %d keys in order (%d messages)%n",
                            t, expected.size(), asRecords.size());
                }
            }
        } finally {
            writing.set(false);
            for (TributaryJar n : nodes.values()) {
                n.kill();
            }
            Dirs.delete(base);
        }
    }

    private static Map<Integer, Integer> lastSeqs(List<org.apache.rocketmq.common.message.MessageExt> messages) {
        Map<Integer, Integer> last = new HashMap<>();
        for (org.apache.rocketmq.common.message.MessageExt m : messages) {
            JsonNode row = parse(new String(m.getBody(), java.nio.charset.StandardCharsets.UTF_8));
            last.merge(row.path("id").asInt(), row.path("seq").asInt(), Math::max);
        }
        return last;
    }

    static JsonNode cluster(TributaryJar node) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port + "/api/cluster"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    static String owner(JsonNode cluster, String pipeline) {
        for (JsonNode p : cluster.path("pipelines")) {
            if (p.path("pipeline").asText().equals(pipeline) && p.path("ownerLive").asBoolean()) {
                return p.path("owner").asText();
            }
        }
        return null;
    }

    /** Every pipeline owned by a live node, on the node the cluster assigns it to, and RUNNING there. */
    static boolean allOwnedAndRunning(JsonNode cluster, Map<String, TributaryJar> nodes) {
        if (cluster.path("pipelines").size() != PIPELINES) {
            return false;
        }
        for (JsonNode p : cluster.path("pipelines")) {
            String owner = p.path("ownerLive").asBoolean() ? p.path("owner").asText() : null;
            if (owner == null || !owner.equals(p.path("assignedNode").asText()) || !nodes.containsKey(owner)
                    || !"RUNNING".equals(nodes.get(owner).status(p.path("pipeline").asText()).path("state").asText())) {
                return false;
            }
        }
        return true;
    }

    static Map<String, Integer> spread(JsonNode cluster) {
        Map<String, Integer> counts = new TreeMap<>();
        for (JsonNode p : cluster.path("pipelines")) {
            if (p.path("ownerLive").asBoolean()) {
                counts.merge(p.path("owner").asText(), 1, Integer::sum);
            }
        }
        return counts;
    }

    /** Single-row updates, each raising one key's {@code seq} by one, spread over the six tables. */
    private void write(AtomicBoolean writing, AtomicLong updates) {
        write("clsrc", PIPELINES, writing, updates);
    }

    private void write(String database, int tables, AtomicBoolean writing, AtomicLong updates) {
        try (Connection c = pg.connect(database); Statement st = c.createStatement()) {
            while (writing.get()) {
                int t = 1 + ThreadLocalRandom.current().nextInt(tables);
                int id = 1 + ThreadLocalRandom.current().nextInt(KEYS);
                st.executeUpdate("UPDATE t" + t + " SET seq = seq + 1 WHERE id = " + id);
                updates.incrementAndGet();
                if (updates.get() % 50 == 0) {
                    Thread.sleep(20); // about 2,000 updates a second at most: the nodes share two cores with the servers
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, Map<Integer, Integer>> finalSeqs() throws Exception {
        return finalSeqs("clsrc", PIPELINES);
    }

    private Map<String, Map<Integer, Integer>> finalSeqs(String database, int tables) throws Exception {
        Map<String, Map<Integer, Integer>> all = new HashMap<>();
        for (int t = 1; t <= tables; t++) {
            all.put("t" + t, seqs(database, "t" + t));
        }
        return all;
    }

    private static boolean complete(Map<String, List<ConsumerRecord<String, String>>> read, Map<String, Map<Integer, Integer>> expected) {
        return complete(read, expected, "cl", PIPELINES);
    }

    private static boolean complete(Map<String, List<ConsumerRecord<String, String>>> read, Map<String, Map<Integer, Integer>> expected,
                                    String topicPrefix, int tables) {
        for (int t = 1; t <= tables; t++) {
            Map<Integer, Integer> last = new HashMap<>();
            for (ConsumerRecord<String, String> r : read.get(topicPrefix + ".t" + t)) {
                JsonNode row = parse(r.value());
                last.merge(row.path("id").asInt(), row.path("seq").asInt(), Math::max);
            }
            if (!last.equals(expected.get("t" + t))) {
                return false;
            }
        }
        return true;
    }

    /**
     * "" when every key's seq values 0..final all arrived and each step is either the next value or a step back (a
     * stretch delivered again after a kill, which then re-runs in order); else what is wrong.
     */
    static String check(List<ConsumerRecord<String, String>> records, Map<Integer, Integer> expected) {
        Map<Integer, List<Integer>> perKey = new HashMap<>();
        for (ConsumerRecord<String, String> r : records) {
            JsonNode row = parse(r.value());
            perKey.computeIfAbsent(row.path("id").asInt(), k -> new ArrayList<>()).add(row.path("seq").asInt());
        }
        for (Map.Entry<Integer, Integer> e : expected.entrySet()) {
            List<Integer> seqs = perKey.getOrDefault(e.getKey(), List.of());
            java.util.Set<Integer> seen = new java.util.HashSet<>(seqs);
            for (int s = 0; s <= e.getValue(); s++) {
                if (!seen.contains(s)) {
                    return "key " + e.getKey() + ": seq " + s + " of 0.." + e.getValue() + " lost: " + seqs;
                }
            }
            for (int i = 1; i < seqs.size(); i++) {
                int prev = seqs.get(i - 1);
                int cur = seqs.get(i);
                if (cur > prev + 1) {
                    return "key " + e.getKey() + ": " + prev + " then " + cur + " (out of order): " + seqs;
                }
            }
            if (seqs.get(seqs.size() - 1) != e.getValue().intValue()) {
                return "key " + e.getKey() + ": ends at " + seqs.get(seqs.size() - 1) + ", not " + e.getValue();
            }
        }
        return "";
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
