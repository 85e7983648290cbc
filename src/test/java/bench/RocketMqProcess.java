package bench;

import testsupport.RocketMqBroker;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A RocketMQ NameServer + Broker in a JVM of their own, so the benchmark's Tributary process and the baseline's do not
 * share a heap, GC and JIT with the broker — as users run it. {@link #start} launches it; it prints the name server's
 * address, then reads commands ({@code topic NAME QUEUES}) until its standard input closes.
 */
final class RocketMqProcess implements AutoCloseable {

    final Process process;
    final String namesrv;
    private final BufferedReader answers;
    private final BufferedWriter commands;

    private RocketMqProcess(Process process, String namesrv, BufferedReader answers) {
        this.process = process;
        this.namesrv = namesrv;
        this.answers = answers;
        this.commands = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
    }

    static RocketMqProcess start(Path log) throws IOException {
        // the G1 options of RocketMQ's own runbroker.sh (G1 with 16 MB regions, 25% reserve, marking from 30%, soft
        // references dropped at once) on a 1 GB heap instead of its 8 GB: the NameServer and the broker share this JVM
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms1g", "-Xmx1g", "-server", "-XX:+UseG1GC", "-XX:G1HeapRegionSize=16m", "-XX:G1ReservePercent=25",
                "-XX:InitiatingHeapOccupancyPercent=30", "-XX:SoftRefLRUPolicyMSPerMB=0", "-XX:-OmitStackTraceInFastThrow",
                "-Xlog:gc:file=" + log.resolveSibling("rocketmq-gc.log") + ":time,uptime",
                "-cp", System.getProperty("java.class.path"), RocketMqProcess.class.getName()));
        Process p = new ProcessBuilder(command).redirectError(log.toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("NAMESRV ")) {
                return new RocketMqProcess(p, line.substring("NAMESRV ".length()).trim(), out);
            }
        }
        throw new IOException("the RocketMQ process ended before it was up; see " + log);
    }

    /** An ordered topic with {@code queues} read and write queues, known to the NameServer when this returns. */
    void createTopic(String topic, int queues) throws IOException {
        commands.write("topic " + topic + " " + queues + "\n");
        commands.flush();
        String line;
        while ((line = answers.readLine()) != null) {
            if (line.equals("ok " + topic)) {
                return;
            }
        }
        throw new IOException("the RocketMQ process ended while creating topic " + topic);
    }

    @Override
    public void close() throws InterruptedException {
        try {
            commands.close();
        } catch (IOException ignored) {
            // already gone
        }
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    public static void main(String[] args) throws Exception {
        // standard output is the protocol, read only while a command waits for its answer: whatever the broker or
        // its logging prints goes to the log (standard error) instead, or a full pipe would stall the broker
        java.io.PrintStream protocol = System.out;
        System.setOut(System.err);
        RocketMqBroker broker = new RocketMqBroker();
        protocol.println("NAMESRV " + broker.namesrv());
        protocol.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] words = line.trim().split("\\s+");
            if (words.length == 3 && words[0].equals("topic")) {
                broker.createTopic(words[1], Integer.parseInt(words[2]));
                protocol.println("ok " + words[1]);
                protocol.flush();
            }
        }
        broker.close();
        Thread.sleep(3000); // close shuts the broker down on a thread of its own; give it the time a clean store needs
        System.exit(0);
    }
}
