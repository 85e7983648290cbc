package bench;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The raw-engine baseline as Debezium ships it: {@link RawEngine} + the Kafka or RocketMQ client in a JVM of its own, on a class path
 * without Tributary's classes — so without the Debezium and Kafka Connect classes Tributary carries its own faster copy
 * of (src/main/java/io/debezium, src/main/java/org/apache/kafka). In the suite's JVM the baseline would run on those
 * copies and gain from them what Tributary gains. The process lives across rounds, so its JIT warms up as Tributary's
 * does; each {@link #catchUp} is one line to it and one line back.
 */
final class StockEngineProcess implements AutoCloseable {

    private final Process process;
    private final BufferedWriter commands;
    private final BufferedReader answers;

    /** Starts the engine's process with these connector settings; its sends go to {@code topic} on Kafka at {@code bootstrap}. */
    StockEngineProcess(Properties settings, String bootstrap, String topic, Path dir) throws Exception {
        this(settings, "kafka", bootstrap, topic, dir);
    }

    /**
     * Starts the engine's process with these connector settings; its sends go to {@code topic} through {@code client}
     * ({@code kafka}: {@link RawSenders#kafka} at {@code address}, the bootstrap servers; {@code rocketmq}:
     * {@link RawSenders#rocketmq} at {@code address}, the name server).
     */
    StockEngineProcess(Properties settings, String client, String address, String topic, Path dir) throws Exception {
        this(settings, client, address, topic, dir, "-Xmx3g");
    }

    /** The same with this maximum heap ({@code -Xmx…}), e.g. the one the fat JAR gets in the snapshot rows. */
    StockEngineProcess(Properties settings, String client, String address, String topic, Path dir, String maxHeap) throws Exception {
        Properties stock = new Properties();
        stock.putAll(settings);
        // Tributary's policy (commit after every batch) is not on this class path: Debezium's periodic one with no
        // period commits after every batch as well
        stock.remove("offset.commit.policy");
        stock.put("offset.flush.interval.ms", "0");
        Path file = dir.resolve("stock-engine.properties");
        try (FileOutputStream out = new FileOutputStream(file.toFile())) {
            stock.store(out, null);
        }
        List<String> classPath = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (!Path.of(entry).normalize().endsWith(Path.of("target", "classes"))) {
                classPath.add(entry);
            }
        }
        process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), maxHeap,
                "-cp", String.join(java.io.File.pathSeparator, classPath), StockEngineProcess.class.getName(),
                file.toString(), client, address, topic)
                .redirectError(dir.resolve("stock-engine.log").toFile()).start();
        commands = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Catches up {@code rows} changes (0: only creates the slot); events/s from the first change to the last. */
    double catchUp(int rows) throws Exception {
        commands.write("catchUp " + rows + "\n");
        commands.flush();
        String answer;
        StringBuilder log = new StringBuilder(); // the engine logs to stdout too: lines other than the answer
        while ((answer = answers.readLine()) != null && !answer.startsWith("rate ")) {
            log.append(answer).append('\n');
            if (log.length() > 20_000) {
                log.delete(0, log.length() - 10_000);
            }
        }
        if (answer == null) {
            throw new IllegalStateException("the stock engine's process ended; its last output:\n" + log);
        }
        return Double.parseDouble(answer.substring(5));
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    /** The child: {@code <settings file> <client> <address> <topic>}, then one {@code catchUp N} per line on stdin. */
    public static void main(String[] args) throws Exception {
        if (StockEngineProcess.class.getClassLoader().getResource("sources/CdcEndpoint.class") != null) {
            throw new IllegalStateException("Tributary's classes are on this class path: the baseline would not be stock Debezium");
        }
        Properties settings = new Properties();
        try (FileInputStream in = new FileInputStream(args[0])) {
            settings.load(in);
        }
        RawEngine raw = RawEngine.of(settings);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            int rows = Integer.parseInt(line.substring("catchUp ".length()).trim());
            double rate;
            if (rows == 0) {
                raw.createSlot();
                rate = 0;
            } else {
                try (RawEngine.BatchSender sender = "rocketmq".equals(args[1]) ? RawSenders.rocketmq(args[2], args[3]) : RawSenders.kafka(args[2], args[3])) {
                    rate = raw.catchUp(rows, sender);
                }
            }
            System.out.println("rate " + rate);
            System.out.flush();
        }
        System.exit(0);
    }
}
