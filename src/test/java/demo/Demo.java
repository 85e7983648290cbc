package demo;

import app.Tributary;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.main.Main;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import runtime.PipelineRegistry;
import runtime.PipelineRuntime;
import testsupport.KafkaBroker;
import testsupport.Postgres;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live demo (README, first command): an embedded PostgreSQL with an orders table and a change generator, an
 * in-process Kafka broker, a pipeline between them, the REST API — and a line per second of what flows.
 * Runs until Ctrl-C ({@code -Ddemo.seconds=N} ends it after N seconds). Lives in test scope: never in the JAR.
 */
public final class Demo {

    public static void main(String[] args) throws Exception {
        long seconds = Long.getLong("demo.seconds", Long.MAX_VALUE);
        int rate = Integer.getInteger("demo.rate", 200);
        System.out.println("Tributary demo: starting an embedded PostgreSQL and an in-process Kafka broker...");
        Postgres pg = new Postgres();
        KafkaBroker kafka = new KafkaBroker();
        try (Connection c = pg.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE orders (id serial PRIMARY KEY, customer text NOT NULL, amount numeric(10,2) NOT NULL, "
                    + "status text NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())");
            st.execute("INSERT INTO orders (customer, amount, status) SELECT 'customer ' || g, (g % 500) + 0.99, 'new' FROM generate_series(1, 1000) g");
        }
        Path dir = Path.of("target", "demo");
        testsupport.Dirs.delete(dir); // a new database every run: offsets of an earlier run point into a WAL that is gone
        Files.createDirectories(dir.resolve("pipelines"));
        Files.writeString(dir.resolve("pipelines/demo.yaml"), """
                pipeline: demo-orders
                source: {type: postgres, host: localhost, port: %d, database: postgres, user: postgres, password: demo}
                mode: full-and-incremental
                labels: [demo]
                objects: [{table: public.orders, topic: demo.orders}]
                format: debezium
                sink: {type: kafka, brokers: "%s"}
                """.formatted(pg.port(), kafka.bootstrap()));
        int port = portOr(8080);
        Main tributary = Tributary.create(new Tributary.Options(dir.resolve("pipelines"), dir.resolve("routes"), dir.resolve("data"), port));
        tributary.start();
        PipelineRuntime pipeline = tributary.getCamelContext().getRegistry().lookupByNameAndType("pipelines", PipelineRegistry.class)
                .get("demo-orders").orElseThrow();
        System.out.printf("Tributary runs: pipeline demo-orders, PostgreSQL :%d → Kafka %s topic demo.orders%n", pg.port(), kafka.bootstrap());
        System.out.printf("The table starts with 1,000 rows (the snapshot); a generator then writes about %d changes/s.%n", rate);
        System.out.printf("REST: curl http://localhost:%d/api/pipelines/demo-orders   (Ctrl-C stops the demo)%n%n", port);

        AtomicLong written = new AtomicLong();
        java.util.concurrent.atomic.AtomicBoolean stopping = new java.util.concurrent.atomic.AtomicBoolean();
        Thread generator = new Thread(() -> generate(pg, rate, written, stopping), "demo-generator");
        generator.setDaemon(true);
        generator.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                stopping.set(true); // the generator first: a database stopped under it reads like a crash
                generator.join(5_000);
                tributary.stop();
                kafka.close();
                pg.close();
            } catch (Exception ignored) {
                // the demo is ending
            }
        }));
        watch(kafka.bootstrap(), pipeline, written, seconds);
        System.exit(0);
    }

    /** Random inserts, updates and deletes at about {@code rate} changes per second. */
    private static void generate(Postgres pg, int rate, AtomicLong written, java.util.concurrent.atomic.AtomicBoolean stopping) {
        try (Connection c = pg.connect("postgres");
             PreparedStatement insert = c.prepareStatement("INSERT INTO orders (customer, amount, status) VALUES (?, ?, 'new')");
             PreparedStatement update = c.prepareStatement("UPDATE orders SET status = ?, amount = amount + 1, updated_at = now() WHERE id = ?");
             PreparedStatement delete = c.prepareStatement("DELETE FROM orders WHERE id = ?")) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            List<String> statuses = List.of("paid", "shipped", "delivered", "cancelled");
            while (!stopping.get()) {
                for (int i = 0; i < rate / 10; i++) {
                    int kind = random.nextInt(10);
                    if (kind < 5) {
                        insert.setString(1, "customer " + random.nextInt(5000));
                        insert.setBigDecimal(2, java.math.BigDecimal.valueOf(random.nextInt(100_000), 2));
                        written.addAndGet(insert.executeUpdate());
                    } else if (kind < 9) {
                        update.setString(1, statuses.get(random.nextInt(statuses.size())));
                        update.setInt(2, 1 + random.nextInt(1000 + (int) written.get() / 2));
                        written.addAndGet(update.executeUpdate());
                    } else {
                        delete.setInt(1, 1 + random.nextInt(1000 + (int) written.get() / 2));
                        written.addAndGet(delete.executeUpdate());
                    }
                }
                Thread.sleep(100);
            }
        } catch (Exception e) {
            if (!stopping.get()) {
                System.err.println("generator stopped: " + e.getMessage());
            }
        }
    }

    /** A line per second: what the database committed, what is on the topic, and the pipeline's own view. */
    private static void watch(String bootstrap, PipelineRuntime pipeline, AtomicLong written, long seconds) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "demo-watcher");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        ObjectMapper json = new ObjectMapper().enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .setNodeFactory(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true)); // show decimals as sent
        long onTopic = 0;
        long lastOnTopic = 0;
        long start = System.nanoTime();
        long nextLine = start + 1_000_000_000L;
        String last = "";
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of("demo.orders"));
            while (System.nanoTime() - start < seconds * 1_000_000_000L) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                    onTopic++;
                    last = summary(json, r);
                }
                if (System.nanoTime() >= nextLine) {
                    nextLine += 1_000_000_000L;
                    Map<String, Object> s = pipeline.status();
                    System.out.printf("%4ds  %-8s  changes written %7d  records on topic %7d (%5d/s)  lag %6s s  last: %s%n",
                            (System.nanoTime() - start) / 1_000_000_000L, s.get("state"), written.get(), onTopic,
                            onTopic - lastOnTopic, s.get("lagSeconds") == null ? "-" : s.get("lagSeconds"), last);
                    lastOnTopic = onTopic;
                }
            }
        }
    }

    private static String summary(ObjectMapper json, ConsumerRecord<String, String> r) {
        try {
            JsonNode e = json.readTree(r.value());
            JsonNode row = e.get("after").isNull() ? e.get("before") : e.get("after");
            return e.get("op").asText() + " " + r.key() + " " + (row.has("status") ? row.get("status").asText() + " " + row.get("amount") : "(key only)");
        } catch (IOException ex) {
            return r.value();
        }
    }

    private static int portOr(int preferred) {
        try (ServerSocket s = new ServerSocket(preferred)) {
            return preferred;
        } catch (IOException busy) {
            return KafkaBroker.freePort();
        }
    }
}
