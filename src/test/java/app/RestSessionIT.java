package app;

import org.junit.jupiter.api.Test;
import testsupport.Dirs;
import testsupport.KafkaBroker;
import testsupport.Postgres;
import testsupport.TestServers;
import testsupport.TributaryJar;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code config/examples/rest-session.sh}, the OpenMessaging Connect workflow as a script, run against the fat JAR:
 * it creates a PostgreSQL → Kafka pipeline stopped, prechecks it, starts it, pauses and resumes it, and deletes it with
 * its replication slot — each step answered as the script expects.
 */
class RestSessionIT {

    final Postgres pg = TestServers.postgres();
    final String kafka = TestServers.kafka().bootstrap();

    @Test
    void theRestSessionScriptCreatesChecksStartsPausesResumesAndDeletes() throws Exception {
        pg.createDatabase("restsession");
        pg.execute("restsession", "CREATE TABLE t (id int PRIMARY KEY, v text)");
        Path dir = Files.createTempDirectory("tributary-rest-session");
        Files.createDirectories(dir.resolve("pipelines"));
        Path file = dir.resolve("session.yaml");
        Files.writeString(file, """
                pipeline: rest-session
                source: {type: postgres, host: localhost, port: %d, database: restsession, user: %s, password: %s}
                mode: incremental
                objects: [{table: public.t, topic: rest.session.t}]
                sink: {type: kafka, brokers: "%s"}
                """.formatted(pg.port(), Postgres.USER, Postgres.PASSWORD, kafka));
        int port = KafkaBroker.freePort();
        try (TributaryJar jar = TributaryJar.start(dir, port, "rest-session")) {
            jar.awaitHealthy();
            ProcessBuilder script = new ProcessBuilder("bash", "config/examples/rest-session.sh", file.toString()).redirectErrorStream(true);
            script.environment().put("TRIBUTARY", "http://localhost:" + port);
            Process session = script.start();
            String output = new String(session.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(session.waitFor(120, TimeUnit.SECONDS));
            System.out.println(output);
            assertEquals(0, session.exitValue(), output);
            for (String step : List.of("== create rest-session, stopped", "== precheck", "\"passed\":true", "== start",
                    "\"state\":\"RUNNING\"", "== pause", "== resume", "== delete", "\"droppedSlot\":\"tributary_rest_session\"")) {
                assertTrue(output.contains(step), "the session shows " + step);
            }
            assertFalse(Files.exists(dir.resolve("pipelines/rest-session.yaml")), "the deleted pipeline's file is gone");
            try (Connection c = pg.connect("restsession"); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'tributary_rest_session'")) {
                rs.next();
                assertEquals(0, rs.getInt(1), "the slot is dropped with the pipeline");
            }
        } finally {
            Dirs.delete(dir);
        }
    }
}
