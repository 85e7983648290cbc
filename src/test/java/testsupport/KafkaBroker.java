package testsupport;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** A real single-node Kafka (KRaft, broker + controller) in this JVM, on free ports, in a temp dir (docs/design.md, "Servers the tests start"). */
public final class KafkaBroker implements AutoCloseable {

    private KafkaRaftServer server;
    private final String bootstrap;
    private final Path dir;
    private final Properties config;

    public KafkaBroker() throws Exception {
        this(java.util.Map.of());
    }

    /** A broker with some settings of its own (e.g. {@code auto.create.topics.enable=false}). */
    public KafkaBroker(java.util.Map<String, String> overrides) throws Exception {
        dir = Files.createTempDirectory("tributary-kafka");
        int port = freePort();
        int controllerPort = freePort();
        Properties p = new Properties();
        config = p;
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", dir.resolve("log").toString());
        p.put("num.partitions", "4");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "true");
        p.putAll(overrides);
        Path props = dir.resolve("server.properties");
        try (var out = Files.newOutputStream(props)) {
            p.store(out, null);
        }
        ByteArrayOutputStream formatOutput = new ByteArrayOutputStream();
        int rc = StorageTool.execute(new String[]{"format", "-t", Uuid.randomUuid().toString(), "-c", props.toString()},
                new PrintStream(formatOutput));
        if (rc != 0) {
            throw new IllegalStateException("kafka storage format failed: " + formatOutput);
        }
        bootstrap = "127.0.0.1:" + port;
        start();
    }

    /** Starts (again) on the same ports and log directory: what was written survives a {@link #stop()}. */
    public synchronized void start() {
        server = new KafkaRaftServer(new KafkaConfig(config), Time.SYSTEM);
        server.startup();
    }

    /** An outage: the broker goes away, its data stays. */
    public synchronized void stop() {
        server.shutdown();
        server.awaitShutdown();
    }

    public String bootstrap() {
        return bootstrap;
    }

    @Override
    public void close() {
        stop();
        Dirs.delete(dir);
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
