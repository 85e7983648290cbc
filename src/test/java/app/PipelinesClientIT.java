package app;

import testsupport.Cli;
import org.junit.jupiter.api.Test;
import testsupport.KafkaBroker;
import testsupport.Postgres;
import testsupport.RunningTributary;
import testsupport.TestServers;
import testsupport.Topics;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code tributary.jar pipelines …}: the command-line client against a running server with PostgreSQL and Kafka behind. */
class PipelinesClientIT {

    final Postgres pg = TestServers.postgres();
    final String kafka = TestServers.kafka().bootstrap();

    /** One command's exit code and what it printed. */
    static String[] with(String server, String... args) {
        List<String> all = new ArrayList<>(List.of("pipelines"));
        all.addAll(List.of(args));
        all.add("--server");
        all.add(server);
        return all.toArray(String[]::new);
    }

    @Test
    void createListStatusStopStartDelete() throws Exception {
        pg.createDatabase("clidb");
        pg.execute("clidb", "CREATE TABLE orders (id int PRIMARY KEY, v text)");
        try (RunningTributary t = new RunningTributary(Map.of())) {
            String server = "http://127.0.0.1:" + t.port;
            Path file = t.dir.resolve("cli-orders.yaml");
            Files.writeString(file, """
                    pipeline: cli-orders
                    source: {type: postgres, host: localhost, port: %d, database: clidb, user: postgres, password: "cli-S3cret"}
                    mode: incremental
                    labels: [billing, eu]
                    objects: [{table: public.orders, topic: cli.orders}]
                    sink: {type: kafka, brokers: "%s"}
                    """.formatted(pg.port(), kafka));
            Path bad = t.dir.resolve("bad.yaml");
            Files.writeString(bad, Files.readString(file).replace("pipeline: cli-orders", "pipeline: cli-bad").replace("mode: incremental", "mode: sometimes"));

            Cli.Run none = Cli.run(with(server, "list"));
            assertEquals(0, none.exit(), none.err());
            assertEquals("no pipelines", none.out().trim());

            Cli.Run invalid = Cli.run(with(server, "create", bad.toString()));
            assertEquals(2, invalid.exit(), invalid.out());
            assertTrue(invalid.err().contains("mode: "), invalid.err());

            Cli.Run created = Cli.run(with(server, "create", file.toString()));
            assertEquals(0, created.exit(), created.err());
            assertTrue(created.out().startsWith("created cli-orders"), created.out());
            assertEquals(1, Cli.run(with(server, "create", file.toString())).exit(), "409: it exists");

            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                    .until(() -> Cli.run(with(server, "list")).out().contains("RUNNING"));
            pg.execute("clidb", "INSERT INTO orders VALUES (1, 'a')", "INSERT INTO orders VALUES (2, 'b')", "INSERT INTO orders VALUES (3, 'c')");
            Topics.readAtLeast(kafka, "cli.orders", 3, Duration.ofSeconds(60));
            await().atMost(Duration.ofSeconds(10)).until(() -> Cli.run(with(server, "status", "cli-orders")).out().contains("out 3,"));

            Cli.Run list = Cli.run(with(server, "list"));
            String[] lines = list.out().split("\n");
            assertTrue(lines[0].matches("NAME\\s+STATE\\s+MODE\\s+LABELS\\s+SOURCE -> SINK\\s+IN\\s+OUT\\s+LAG\\s+LAST ERROR"), lines[0]);
            assertTrue(lines[1].matches("cli-orders\\s+RUNNING\\s+incremental\\s+billing,eu\\s+postgres -> kafka\\s+3\\s+3\\s+\\d+\\.\\d s"), lines[1]);
            // labels select: every one given must be carried
            assertTrue(Cli.run(with(server, "list", "--label", "billing")).out().contains("cli-orders"));
            assertTrue(Cli.run(with(server, "list", "--label", "eu,billing")).out().contains("cli-orders"));
            assertEquals("no pipelines with label billing,us", Cli.run(with(server, "list", "--label", "billing,us")).out().trim());

            Cli.Run status = Cli.run(with(server, "status", "cli-orders"));
            assertEquals(0, status.exit(), status.err());
            assertTrue(status.out().matches("(?s).*position\\s+\\{.*\"lsn\".*"), status.out());
            assertTrue(status.out().matches("(?s).*last commit\\s+20\\d\\d-.*"), status.out());
            assertFalse(status.out().contains("cli-S3cret"), status.out());

            Cli.Run precheck = Cli.run(with(server, "precheck", "cli-orders", "--skip", "source.tables"));
            assertEquals(0, precheck.exit(), precheck.out() + precheck.err());
            assertTrue(precheck.out().matches("(?s).*PASS\\s+source\\.wal_level\\s+logical.*SKIPPED\\s+source\\.tables.*"), precheck.out());

            Cli.Run stopped = Cli.run(with(server, "stop", "cli-orders"));
            assertEquals(0, stopped.exit(), stopped.err());
            assertEquals("cli-orders: STOPPED", stopped.out().trim());
            assertEquals(1, Cli.run(with(server, "resume", "cli-orders")).exit(), "409: not paused");
            pg.execute("clidb", "INSERT INTO orders VALUES (4, 'while stopped')");
            assertEquals(0, Cli.run(with(server, "start", "cli-orders")).exit());
            assertEquals(4, Topics.readAtLeast(kafka, "cli.orders", 4, Duration.ofSeconds(60)).size(), "resumed from its offset");

            Cli.Run missing = Cli.run(with(server, "status", "nope"));
            assertEquals(1, missing.exit());
            assertTrue(missing.err().contains("no pipeline named 'nope'"), missing.err());

            Cli.Run deleted = Cli.run(with(server, "delete", "cli-orders", "--drop-slot"));
            assertEquals(0, deleted.exit(), deleted.err());
            assertEquals("deleted cli-orders, dropped replication slot tributary_cli_orders", deleted.out().trim());
            assertEquals("no pipelines", Cli.run(with(server, "list")).out().trim());
        }
    }

    @Test
    void tokenUsageAndUnreachableServer() throws Exception {
        try (RunningTributary t = new RunningTributary(Map.of("application.properties", "tributary.api.token=cli-T0ken\n"))) {
            String server = "http://127.0.0.1:" + t.port;
            Cli.Run refused = Cli.run(with(server, "list"));
            assertEquals(3, refused.exit());
            assertTrue(refused.err().contains("--token"), refused.err());
            Cli.Run wrong = Cli.run(with(server, "list", "--token", "nope"));
            assertEquals(3, wrong.exit());
            assertEquals("the server refused the token", wrong.err().trim());
            Cli.Run ok = Cli.run(with(server, "list", "--token", "cli-T0ken"));
            assertEquals(0, ok.exit(), ok.err());
        }
        Cli.Run usage = Cli.run("pipelines", "frobnicate");
        assertEquals(2, usage.exit());
        assertTrue(usage.err().startsWith("unknown command 'frobnicate'"), usage.err());
        assertEquals(2, Cli.run("pipelines", "status").exit(), "status needs NAME");
        Cli.Run down = Cli.run(with("http://127.0.0.1:" + KafkaBroker.freePort(), "list"));
        assertEquals(3, down.exit());
        assertTrue(down.err().startsWith("cannot reach http://127.0.0.1:"), down.err());
    }
}
