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
    private static final String ENDED = "\u0000ended";
    private final java.util.concurrent.BlockingQueue<String> answerLines = new java.util.concurrent.LinkedBlockingQueue<>();
    private final java.util.ArrayDeque<String> output = new java.util.ArrayDeque<>();

    /** Starts the engine's process with these connector settings; its sends go to {@code topic} on Kafka at {@code bootstrap}. */
    StockEngineProcess(Properties settings, String bootstrap, String topic, Path dir) throws Exception {
        this(settings, "kafka", bootstrap, topic, dir);
    }

    /**
     * Starts the engine's process with these connector settings; its sends go to {@code topic} through {@code client}
     * ({@code kafka}: {@link RawSenders#kafka} at {@code address}, the bootstrap servers; {@code rocketmq}:
     * {@link RawSenders#rocketmq} at {@code address}, the name server; {@code jdbc}: {@link RawSenders#jdbc} at
     * {@code address}, a JDBC URL, into the table {@code topic}).
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
        BufferedReader answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Thread reader = new Thread(() -> readOutput(answers), "stock-engine-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Catches up {@code rows} changes (0: only creates the slot); events/s from the first change to the last. */
    double catchUp(int rows) throws Exception {
        return Double.parseDouble(command("catchUp " + rows).substring("rate ".length()));
    }

    /** Starts streaming into the topic and returns; {@link #awaitStreamed} ends it. */
    void startStreaming() throws Exception {
        command("stream");
    }

    /** Waits until {@code rows} changes were handled since {@link #startStreaming}, then stops the engine. */
    void awaitStreamed(int rows) throws Exception {
        command("awaitStreamed " + rows);
    }

    /** Sends one command; its answer line ({@code rate …} or {@code done}). */
    private String command(String line) throws Exception {
        commands.write(line + "\n");
        commands.flush();
        String answer = answerLines.take();
        if (answer.equals(ENDED)) {
            synchronized (output) {
                throw new IllegalStateException("the stock engine's process ended; its last output:\n" + String.join("\n", output));
            }
        }
        return answer;
    }

    /**
     * Reads the child's standard output all the time: the engine logs there too, and a full pipe would block its
     * threads (a streaming engine nobody reads from stalls). Answer lines go to {@link #answerLines}, the rest is kept
     * short for an error message.
     */
    private void readOutput(BufferedReader answers) {
        try {
            String line;
            while ((line = answers.readLine()) != null) {
                if (line.startsWith("rate ") || line.equals("done")) {
                    answerLines.add(line);
                } else {
                    synchronized (output) {
                        output.addLast(line);
                        if (output.size() > 200) {
                            output.removeFirst();
                        }
                    }
                }
            }
        } catch (java.io.IOException ended) {
            // the process is gone
        }
        answerLines.add(ENDED);
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    /** The baseline's client: {@code kafka}, {@code rocketmq} or {@code jdbc} (address: a JDBC URL, topic: the target table). */
    private static RawEngine.BatchSender sender(String[] args) throws Exception {
        return switch (args[1]) {
            case "rocketmq" -> RawSenders.rocketmq(args[2], args[3]);
            case "jdbc" -> RawSenders.jdbc(args[2], args[3]);
            default -> RawSenders.kafka(args[2], args[3]);
        };
    }

    /**
     * The child: {@code <settings file> <client> <address> <topic>}, then commands on stdin, one per line: {@code catchUp
     * N}, or {@code stream} and later {@code awaitStreamed N} (a steady stream: the latency row).
     */
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
        RawEngine.BatchSender streaming = null;
        while ((line = in.readLine()) != null) {
            if (line.equals("stream")) {
                streaming = sender(args);
                raw.startStreaming(streaming);
                System.out.println("done");
                System.out.flush();
                continue;
            }
            if (line.startsWith("awaitStreamed ")) {
                long rows = Long.parseLong(line.substring("awaitStreamed ".length()).trim());
                while (raw.handled() < rows) {
                    Thread.sleep(10);
                }
                raw.stopStreaming();
                streaming.close();
                System.out.println("done");
                System.out.flush();
                continue;
            }
            int rows = Integer.parseInt(line.substring("catchUp ".length()).trim());
            double rate;
            if (rows == 0) {
                raw.createSlot();
                rate = 0;
            } else {
                try (RawEngine.BatchSender sender = sender(args)) {
                    rate = raw.catchUp(rows, sender);
                }
            }
            System.out.println("rate " + rate);
            System.out.flush();
        }
        System.exit(0);
    }
}
