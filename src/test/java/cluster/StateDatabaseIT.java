package cluster;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import state.StaleOwnerException;
import testsupport.MariaDb;
import testsupport.Postgres;
import testsupport.TestServers;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shared state database on PostgreSQL and on MariaDB: definitions, claims and the epoch fence on state writes. */
class StateDatabaseIT {

    private StateDatabase open(String server, String database, boolean create) throws Exception {
        if (server.equals("pg")) {
            Postgres pg = TestServers.postgres();
            if (create) {
                pg.createDatabase(database);
            }
            return new StateDatabase(pg.jdbcUrl(database), Postgres.USER, Postgres.PASSWORD);
        }
        MariaDb maria = TestServers.mariadb();
        if (create) {
            maria.createDatabase(database);
        }
        return new StateDatabase(maria.jdbcUrl(database), MariaDb.USER, MariaDb.PASSWORD);
    }

    @ParameterizedTest
    @ValueSource(strings = {"pg", "maria"})
    void aWriteUnderAnOlderEpochIsRefusedAndChangesNothing(String server) throws Exception {
        try (StateDatabase a = open(server, "state_fence_" + server, true);
             StateDatabase b = open(server, "state_fence_" + server, false)) { // two nodes, one database
            assertTrue(a.insertDefinition("p", "pipeline: p"));
            assertFalse(b.insertDefinition("p", "pipeline: p"), "a name is taken once in the cluster");
            long first = a.claim("p", "node-a");
            a.stateFiles().writeFile("p", first, "offsets.dat", bytes("offset 1"));
            long second = b.claim("p", "node-b"); // node-b takes the pipeline over
            assertEquals(first + 1, second);
            StaleOwnerException stale = assertThrows(StaleOwnerException.class, () -> a.stateFiles().writeFile("p", first, "offsets.dat", bytes("offset 2")));
            assertTrue(stale.getMessage().contains("epoch " + second), stale.getMessage());
            assertThrows(StaleOwnerException.class, () -> a.checkEpoch("p", first));
            b.checkEpoch("p", second);
            assertArrayEquals(bytes("offset 1"), a.stateFiles().files("p").get("offsets.dat"), "the stale write left nothing");
            b.stateFiles().writeFile("p", second, "offsets.dat", bytes("offset 3"));
            b.stateFiles().writeFile("p", second, "watermarks.json", bytes("{}"));
            Map<String, byte[]> files = a.stateFiles().files("p");
            assertArrayEquals(bytes("offset 3"), files.get("offsets.dat"));
            assertEquals(2, files.size());
            assertEquals("node-b", a.owner("p").orElseThrow().node());
            b.updateDefinition("p", "pipeline: p # changed");
            assertEquals(2, a.definitions().get(0).version());
            b.setStopped("p", true);
            assertTrue(a.definitions().get(0).stopped());
            a.announce("node-a", "http://a:8080");
            assertEquals("http://a:8080", b.nodeUrls().get("node-a"));
        }
    }

    /**
     * A node frozen in the middle of a state write holds the owner row's lock; the server ends its idle transaction
     * after the limit the node set on its connection, so the next node's claim does not wait for the thaw.
     */
    @ParameterizedTest
    @ValueSource(strings = {"pg", "maria"})
    void aClaimDoesNotWaitForANodeFrozenInsideAStateWrite(String server) throws Exception {
        try (StateDatabase a = open(server, "state_frozen_" + server, true);
             StateDatabase b = open(server, "state_frozen_" + server, false)) {
            a.claim("p", "node-a");
            String url = server.equals("pg") ? TestServers.postgres().jdbcUrl("state_frozen_pg") : TestServers.mariadb().jdbcUrl("state_frozen_maria");
            String user = server.equals("pg") ? Postgres.USER : MariaDb.USER;
            String password = server.equals("pg") ? Postgres.PASSWORD : MariaDb.PASSWORD;
            try (java.sql.Connection frozen = java.sql.DriverManager.getConnection(url, user, password);
                 java.sql.Statement st = frozen.createStatement()) {
                state.IdleTransactions.limit(frozen, 1_000); // what node-a's StateDatabase sets (half its session timeout)
                frozen.setAutoCommit(false);
                st.executeUpdate("UPDATE tributary_owners SET epoch = epoch WHERE pipeline = 'p'"); // a write's fence, then the freeze
                long t0 = System.nanoTime();
                assertEquals(2, b.claim("p", "node-b"));
                double waited = (System.nanoTime() - t0) / 1e9;
                assertTrue(waited < 10, "the claim waited " + waited + " s");
            }
        }
    }

    /**
     * The appended state files — the snapshot ledger and the dead letters — written through the owner's mirror reach
     * the next owner whole: it sweeps the keys the first owner's snapshot attempt delivered and its own did not, and
     * it holds the first owner's dead letters; the first owner's appends after the takeover are refused.
     */
    @ParameterizedTest
    @ValueSource(strings = {"pg", "maria"})
    void theSnapshotLedgerAndDeadLettersMoveWithThePipeline(String server) throws Exception {
        java.nio.file.Path base = java.nio.file.Files.createTempDirectory("tributary-appends");
        java.nio.file.Path dirA = base.resolve("a/p");
        java.nio.file.Path dirB = base.resolve("b/p");
        try (StateDatabase a = open(server, "state_appends_" + server, true);
             StateDatabase b = open(server, "state_appends_" + server, false)) {
            long first = a.claim("p", "node-a");
            state.SharedState.register(dirA, new DatabaseMirror(a, "p", first));
            snapshots.SnapshotLedger ledgerA = new snapshots.SnapshotLedger(dirA.resolve("snapshot-ledger"), "p", t -> java.util.List.of(), 100);
            ledgerA.begin();
            ledgerA.record(rows(1, 30));
            ledgerA.record(rows(31, 50));
            sinks.DeadLetters lettersA = new sinks.DeadLetters(dirA.resolve("dead-letters.jsonl"), new counters.PipelineCounters());
            lettersA.add(rows(7, 7).get(0), "topic-x", bytes("k"), bytes("v"), new IllegalArgumentException("too large"));

            long second = b.claim("p", "node-b"); // node-b takes the pipeline over
            Map<String, byte[]> before = b.stateFiles().files("p");
            java.io.UncheckedIOException refused = assertThrows(java.io.UncheckedIOException.class, () -> ledgerA.record(rows(51, 60)));
            assertTrue(refused.getCause() instanceof StaleOwnerException, String.valueOf(refused.getCause()));
            assertThrows(java.io.UncheckedIOException.class, () -> lettersA.add(rows(8, 8).get(0), "topic-x", bytes("k"), bytes("v"),
                    new IllegalArgumentException("too large")));
            Map<String, byte[]> after = b.stateFiles().files("p");
            assertEquals(before.keySet(), after.keySet(), "the stale appends left nothing");
            before.forEach((f, content) -> assertArrayEquals(content, after.get(f), f));

            for (Map.Entry<String, byte[]> f : after.entrySet()) { // what the next owner's claim restores
                state.AtomicFiles.write(dirB.resolve(f.getKey()), f.getValue());
            }
            state.SharedState.register(dirB, new DatabaseMirror(b, "p", second));
            sinks.DeadLetters lettersB = new sinks.DeadLetters(dirB.resolve("dead-letters.jsonl"), new counters.PipelineCounters());
            assertEquals(1, lettersB.all().size());
            assertEquals("topic-x", lettersB.all().get(0).destination());
            snapshots.SnapshotLedger ledgerB = new snapshots.SnapshotLedger(dirB.resolve("snapshot-ledger"), "p", t -> java.util.List.of(), 100);
            ledgerB.begin(); // the snapshot taken again on node-b: rows 41..50 were deleted meanwhile
            ledgerB.record(rows(1, 40));
            assertEquals(10, ledgerB.prepareSweep());
            java.util.Set<Object> swept = new java.util.TreeSet<>();
            ledgerB.nextSweepChunk().forEach(e -> swept.add(e.before().get("id")));
            assertEquals(java.util.stream.IntStream.rangeClosed(41, 50).boxed().collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new)), swept);
            ledgerB.completed();
            assertTrue(b.stateFiles().files("p").keySet().stream().noneMatch(f -> f.startsWith("snapshot-ledger/")), "the completed ledger left the database");

            lettersB.resendWith(letter -> { });
            assertEquals(0, lettersB.replay().get("remaining"));
            assertEquals(0, b.stateFiles().files("p").get("dead-letters.jsonl").length, "the replayed letters left the database");
        } finally {
            state.SharedState.unregister(dirA);
            state.SharedState.unregister(dirB);
            testsupport.Dirs.delete(base);
        }
    }

    private static java.util.List<model.ChangeEvent> rows(int from, int to) {
        java.util.List<model.ChangeEvent> events = new java.util.ArrayList<>();
        for (int id = from; id <= to; id++) {
            events.add(model.ChangeEvent.row("p", model.Op.READ, new model.TableId("db", "public", "t"), null, Map.of("id", id, "v", "row " + id),
                    java.util.List.of("id"), Map.of("id", "INT", "v", "TEXT"),
                    new model.SourcePosition("postgres", "0/" + id, null, 0, java.time.Instant.now(), true)));
        }
        return events;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
