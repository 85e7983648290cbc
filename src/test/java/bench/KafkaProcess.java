package bench;

import testsupport.KafkaBroker;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A Kafka broker in a JVM of its own, so the benchmark's Tributary process does not share its heap, GC and JIT with the
 * broker — as users run it. {@link #start()} launches it; it prints its bootstrap address, then runs until its standard
 * input closes (so it also ends with the process that started it).
 */
final class KafkaProcess implements AutoCloseable {

    final Process process;
    final String bootstrap;

    private KafkaProcess(Process process, String bootstrap) {
        this.process = process;
        this.bootstrap = bootstrap;
    }

    static KafkaProcess start(Path log) throws IOException {
        // the JVM options Kafka's own start scripts give a broker (kafka-server-start.sh's heap, kafka-run-class.sh's G1
        // settings): with -Xmx1g alone the heap stayed at ~400 MB committed, so the broker's live ~180 MB sat above G1's
        // initiating occupancy and each large produce buffer started a marking cycle — several a second, with remark
        // pauses of 10-54 ms, on cores the contenders share. Its collections are logged beside its log.
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Xms1g", "-server", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20", "-XX:InitiatingHeapOccupancyPercent=35",
                "-XX:+ExplicitGCInvokesConcurrent", "-XX:MaxInlineLevel=15", "-Djava.awt.headless=true",
                "-Xlog:gc:file=" + log.resolveSibling("kafka-gc.log") + ":time,uptime",
                "-Dbench.kafkaDelayMicros=" + Long.getLong("bench.kafkaDelayMicros", 0),
                "-cp", System.getProperty("java.class.path"), KafkaProcess.class.getName()));
        Process p = new ProcessBuilder(command).redirectError(log.toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("BOOTSTRAP ")) {
                return new KafkaProcess(p, line.substring("BOOTSTRAP ".length()).trim());
            }
        }
        throw new IOException("the Kafka process ended before it was up; see " + log);
    }

    @Override
    public void close() throws InterruptedException {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // already gone
        }
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    /**
     * {@code -Dbench.kafkaDelayMicros=N}: clients reach the broker only through a {@link LatencyLink} delaying each way
     * by N µs (the broker advertises the link), as a broker on another host would be.
     */
    public static void main(String[] args) throws Exception {
        long delay = Long.getLong("bench.kafkaDelayMicros", 0);
        LatencyLink link = delay > 0 ? new LatencyLink(delay) : null;
        try (KafkaBroker broker = link == null ? new KafkaBroker()
                : new KafkaBroker(java.util.Map.of("advertised.listeners", "PLAINTEXT://127.0.0.1:" + link.port()))) {
            if (link != null) {
                link.target(Integer.parseInt(broker.bootstrap().substring(broker.bootstrap().lastIndexOf(':') + 1)));
            }
            System.out.println("BOOTSTRAP " + (link == null ? broker.bootstrap() : "127.0.0.1:" + link.port()));
            System.out.flush();
            while (System.in.read() >= 0) {
                // runs until the parent closes our standard input or ends
            }
        }
        System.exit(0);
    }
}
