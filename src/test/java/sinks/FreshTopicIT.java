package sinks;

import org.junit.jupiter.api.Test;
import testsupport.Dirs;
import testsupport.KafkaBroker;
import testsupport.MariaDb;
import testsupport.TestServers;
import testsupport.Topics;
import testsupport.TributaryJar;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A topic that does not exist yet is made usable before the first record goes to it: the Kafka sink creates it through
 * the admin client (broker defaults) and waits until every partition's leader serves requests. Left to the producer's
 * auto-creation, the first batch raced the new partitions' leader elections (NOT_LEADER_OR_FOLLOWER, then
 * OUT_OF_ORDER_SEQUENCE_NUMBER until the delivery timeout) — and on a broker that does not auto-create topics
 * nothing was ever delivered.
 */
class FreshTopicIT {

    @Test
    void aBrokerThatDoesNotAutoCreateTopicsGetsThemFromTheSink() throws Exception {
        MariaDb maria = TestServers.mariadb();
        maria.createDatabase("freshdb");
        maria.execute("freshdb", "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(20))",
                "INSERT INTO t SELECT seq, CONCAT('v', seq) FROM seq_1_to_3000");
        try (KafkaBroker strict = new KafkaBroker(Map.of("auto.create.topics.enable", "false"))) {
            Path dir = pipeline("fresh-strict", maria, strict.bootstrap());
            try (TributaryJar jar = TributaryJar.start(dir, KafkaBroker.freePort(), "fresh-strict")) {
                assertEquals(3000, Topics.readUntil(strict.bootstrap(), "fresh.strict.t", r -> r.size() >= 3000, Duration.ofSeconds(60)).size());
                assertEquals(0, jar.status("fresh-strict").at("/errors/count").asLong(), "no batch failed on the way");
            } finally {
                Dirs.delete(dir);
            }
        }
    }

    /** The scenario it was found in: a new topic, the JAR killed 3 s after its start, restarted: delivery goes on at once. */
    @Test
    void aRestartRightAfterTheTopicWasCreatedDeliversWithoutStalling() throws Exception {
        MariaDb maria = TestServers.mariadb();
        maria.createDatabase("freshdb2");
        maria.execute("freshdb2", "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(20))",
                "INSERT INTO t SELECT seq, CONCAT('v', seq) FROM seq_1_to_3000");
        String kafka = TestServers.kafka().bootstrap();
        Path dir = pipeline("fresh-restart", maria, kafka, "freshdb2");
        int port = KafkaBroker.freePort();
        try {
            try (TributaryJar first = TributaryJar.start(dir, port, "fresh-restart-first")) {
                Thread.sleep(3_000);
                first.kill();
            }
            long t0 = System.nanoTime();
            try (TributaryJar second = TributaryJar.start(dir, port, "fresh-restart-second")) {
                Topics.readUntil(kafka, "fresh.restart.t", r -> r.stream().map(x -> x.key()).distinct().count() >= 3000, Duration.ofSeconds(60));
                double seconds = (System.nanoTime() - t0) / 1e9;
                System.out.printf("fresh topic, restart 3 s after the first start: every row on the topic %.1f s after the restart%n", seconds);
                assertTrue(seconds < 20, "took " + seconds + " s (a stalled first batch waits the 30 s delivery timeout)");
                assertEquals(0, second.status("fresh-restart").at("/errors/count").asLong(), "no batch failed on the way");
            }
        } finally {
            Dirs.delete(dir);
        }
    }

    private static Path pipeline(String name, MariaDb maria, String kafka) throws Exception {
        return pipeline(name, maria, kafka, "freshdb");
    }

    private static Path pipeline(String name, MariaDb maria, String kafka, String database) throws Exception {
        Path dir = Files.createTempDirectory("tributary-" + name);
        Files.createDirectories(dir.resolve("pipelines"));
        Files.writeString(dir.resolve("pipelines/" + name + ".yaml"), """
                pipeline: %s
                source: {type: mariadb, host: 127.0.0.1, port: %d, user: %s, password: %s}
                mode: full-and-incremental
                objects: [{table: %s.t, topic: %s}]
                sink: {type: kafka, brokers: "%s"}
                """.formatted(name, maria.port(), MariaDb.USER, MariaDb.PASSWORD, database, name.replace('-', '.') + ".t", kafka));
        return dir;
    }
}
