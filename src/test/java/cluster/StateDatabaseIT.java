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
            a.writeFile("p", first, "offsets.dat", bytes("offset 1"));
            long second = b.claim("p", "node-b"); // node-b takes the pipeline over
            assertEquals(first + 1, second);
            StaleOwnerException stale = assertThrows(StaleOwnerException.class, () -> a.writeFile("p", first, "offsets.dat", bytes("offset 2")));
            assertTrue(stale.getMessage().contains("epoch " + second), stale.getMessage());
            assertThrows(StaleOwnerException.class, () -> a.checkEpoch("p", first));
            b.checkEpoch("p", second);
            assertArrayEquals(bytes("offset 1"), a.files("p").get("offsets.dat"), "the stale write left nothing");
            b.writeFile("p", second, "offsets.dat", bytes("offset 3"));
            b.writeFile("p", second, "watermarks.json", bytes("{}"));
            Map<String, byte[]> files = a.files("p");
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

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
