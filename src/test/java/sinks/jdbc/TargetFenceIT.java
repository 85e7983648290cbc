package sinks.jdbc;

import counters.PipelineCounters;
import model.ChangeEvent;
import model.Op;
import model.SourcePosition;
import model.TableId;
import org.junit.jupiter.api.Test;
import state.SharedState;
import state.StaleOwnerException;
import state.StateMirror;
import testsupport.MariaDb;
import testsupport.Postgres;
import testsupport.TestServers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JDBC sink's commit carries the owner's epoch (cluster mode), on real PostgreSQL and MariaDB targets. Two sinks of
 * one pipeline act as its old owner (epoch 1) and its new one (epoch 2), both past the pre-batch owner check — the
 * worst moment, when only the target can still tell them apart: the old owner's batch that was already open when the
 * new owner came is ordered before the new owner's first one, and every batch of the old owner after that is refused
 * and leaves the target as it was.
 */
class TargetFenceIT {

    @Test
    void postgresTargetRefusesTheOldOwnerOnceTheNewOneHasWritten() throws Exception {
        Postgres pg = TestServers.postgres();
        pg.createDatabase("fencetarget");
        fenceOn(pg.jdbcUrl("fencetarget"), Postgres.USER, Postgres.PASSWORD);
    }

    @Test
    void mariaDbTargetRefusesTheOldOwnerOnceTheNewOneHasWritten() throws Exception {
        MariaDb maria = TestServers.mariadb();
        maria.createDatabase("fencetarget");
        fenceOn(maria.jdbcUrl("fencetarget"), MariaDb.USER, MariaDb.PASSWORD);
    }

    private void fenceOn(String url, String user, String password) throws Exception {
        Path base = Files.createTempDirectory("tributary-fence");
        Path oldDir = base.resolve("old/j1");
        Path newDir = base.resolve("new/j1");
        SharedState.register(oldDir, owning(1));
        SharedState.register(newDir, owning(2));
        JdbcSinkConfig target = new JdbcSinkConfig(url, user, password, true, true, 100, "fail");
        JdbcSink oldOwner = new JdbcSink(target, t -> "fenced", new PipelineCounters());
        JdbcSink newOwner = new JdbcSink(target, t -> "fenced", new PipelineCounters());
        oldOwner.fencedBy(oldDir);
        newOwner.fencedBy(newDir);
        try {
            oldOwner.deliver(List.of(row(1, "old-1"), row(2, "old-1")));
            assertEquals("old-1,old-1", values(url, user, password));
            assertEquals(1, epochRow(url, user, password));

            // the old owner's next batch is open (holding the epoch row) and waits on a row lock when the new owner comes
            try (Connection blocker = DriverManager.getConnection(url, user, password); Statement st = blocker.createStatement()) {
                blocker.setAutoCommit(false);
                st.executeQuery("SELECT v FROM fenced WHERE id = 2 FOR UPDATE").close();
                CompletableFuture<Void> openBatch = CompletableFuture.runAsync(() -> deliver(oldOwner, List.of(row(1, "old-2"), row(2, "old-2"))));
                await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(5)).until(() -> !openBatch.isDone());
                CompletableFuture<Void> firstOfNew = CompletableFuture.runAsync(() -> deliver(newOwner, List.of(row(1, "new-1"), row(2, "new-1"))));
                await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(5)).until(() -> !openBatch.isDone() && !firstOfNew.isDone());
                blocker.rollback();
                openBatch.get();
                firstOfNew.get();
            }
            assertEquals("new-1,new-1", values(url, user, password), "the open batch of the old owner committed first, the new owner's after it");
            assertEquals(2, epochRow(url, user, password));

            // the old owner frozen inside a batch transaction (its epoch row locked, its session idle): the server ends
            // that session after the idle-transaction limit the sink set, and the new owner's batch goes through
            try (Connection frozen = DriverManager.getConnection(url, user, password); Statement st = frozen.createStatement()) {
                state.IdleTransactions.limit(frozen, 1_000);
                frozen.setAutoCommit(false);
                st.executeUpdate("UPDATE tributary_epochs SET epoch = epoch WHERE pipeline = 'j1'");
                long t0 = System.nanoTime();
                newOwner.deliver(List.of(row(1, "new-1"), row(2, "new-1")));
                double waited = (System.nanoTime() - t0) / 1e9;
                System.out.printf("target fence (%s): the new owner's batch waited %.2f s for a frozen transaction's lock%n", url, waited);
                assertTrue(waited < 10, "waited " + waited + " s");
            }

            StaleOwnerException refused = assertThrows(StaleOwnerException.class, () -> oldOwner.deliver(List.of(row(1, "old-3"), row(3, "old-3"))));
            assertTrue(refused.getMessage().contains("epoch 2, not 1"), refused.getMessage());
            assertEquals("new-1,new-1", values(url, user, password), "nothing of the refused batch was written");
            newOwner.deliver(List.of(row(3, "new-2")));
            assertEquals("new-1,new-1,new-2", values(url, user, password));
            assertFalse(values(url, user, password).contains("old-3"));
        } finally {
            oldOwner.stop();
            newOwner.stop();
            SharedState.unregister(oldDir);
            SharedState.unregister(newDir);
            testsupport.Dirs.delete(base);
        }
    }

    private static void deliver(JdbcSink sink, List<ChangeEvent> batch) {
        try {
            sink.deliver(batch);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ChangeEvent row(int id, String v) {
        Map<String, Object> after = new LinkedHashMap<>();
        after.put("id", id);
        after.put("v", v);
        Map<String, String> columns = new LinkedHashMap<>();
        columns.put("id", "INT");
        columns.put("v", "VARCHAR(20)");
        return ChangeEvent.row("j1", Op.UPDATE, new TableId("src", "public", "fenced"), null, after, List.of("id"), columns,
                new SourcePosition("test", "0/" + id, "tx", 1, Instant.now(), false));
    }

    private static String values(String url, String user, String password) throws Exception {
        try (Connection c = DriverManager.getConnection(url, user, password); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT v FROM fenced ORDER BY id")) {
            StringBuilder s = new StringBuilder();
            while (rs.next()) {
                s.append(s.isEmpty() ? "" : ",").append(rs.getString(1));
            }
            return s.toString();
        }
    }

    private static long epochRow(String url, String user, String password) throws Exception {
        try (Connection c = DriverManager.getConnection(url, user, password); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT epoch FROM tributary_epochs WHERE pipeline = 'j1'")) {
            assertTrue(rs.next());
            return rs.getLong(1);
        }
    }

    /** This node's claim as a cluster node's state mirror answers it; the owner check itself is what is bypassed here. */
    private static StateMirror owning(long epoch) {
        return new StateMirror() {
            @Override
            public void write(String file, byte[] bytes) {
            }

            @Override
            public void append(Map<String, byte[]> appends) {
            }

            @Override
            public void delete(String fileOrFolder) {
            }

            @Override
            public long idleTransactionLimitMs() {
                return 3_000;
            }

            @Override
            public long epoch() {
                return epoch;
            }

            @Override
            public void checkOwner() {
            }
        };
    }
}
