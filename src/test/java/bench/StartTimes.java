package bench;

import java.nio.file.*;
import java.sql.*;

/**
 * Launch → RUNNING of the fat JAR as an operator starts it ({@code scripts/tributary}), restarted N times on one
 * PostgreSQL and one Kafka in its own JVM, for an A/B of start-up: {@code -Dvariants=A|B|...} alternates option sets
 * ({@code JAVA_OPTS}) or builds ({@code jar=/path/tributary.jar}, its archive beside it) run by run and prints each
 * one's mean over its restarts after the first. Run: {@code java -Dvariants=... -cp target/classes:target/test-classes:<test
 * classpath> bench.StartTimes 20} (docs/performance.md, "the start").
 */
final class StartTimes {
    public static void main(String[] a) throws Exception {
        int n = Integer.parseInt(a[0]);
        Path dir = Files.createTempDirectory("st");
        Files.createDirectories(dir.resolve("pipelines"));
        try (testsupport.Postgres pg = new testsupport.Postgres(); KafkaProcess kafka = KafkaProcess.start(dir.resolve("kafka.log"))) {
            try (Connection c = pg.connect("postgres"); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE bl (id bigint primary key, a int, b text)");
            }
            Files.writeString(dir.resolve("pipelines/backlog.yaml"), """
                    pipeline: backlog
                    source: {type: postgres, host: localhost, port: %d, database: postgres, user: postgres, password: postgres}
                    mode: incremental
                    format: debezium
                    objects: [{table: public.bl, topic: backlog.bl}]
                    sink: {type: kafka, brokers: "%s"}
                    """.formatted(pg.port(), kafka.bootstrap));
            String[] variants = System.getProperty("variants", "").split("\\|", -1);
            double[] sums = new double[variants.length];
            for (int i = 0; i < n; i++) {
                String v = variants[i % variants.length];
                if (v.startsWith("jar=")) {
                    System.setProperty("bench.jar", v.substring(4));
                    System.setProperty("bench.childJvmArgs", "");
                } else {
                    System.clearProperty("bench.jar");
                    System.setProperty("bench.childJvmArgs", v);
                }
                Backlog.Jar jar = Backlog.Jar.start(dir);
                double r = jar.awaitRunning();
                String[] st = Files.readString(Path.of("/proc/" + jar.process.pid() + "/stat")).split(" ");
                try (Connection c = pg.connect("postgres"); Statement s = c.createStatement()) {
                    s.execute("INSERT INTO bl VALUES (" + i + ", 1, 'x')");
                }
                jar.awaitOut(1);
                // the process's CPU time until RUNNING (Linux: utime + stime in clock ticks of 1/100 s): how busy a start is
                System.out.printf("run %d [%s]: RUNNING %.2f s, CPU %.2f s%n", i, v, r, (Long.parseLong(st[13]) + Long.parseLong(st[14])) / 100.0);
                if (i >= variants.length) sums[i % variants.length] += r;
                Thread.sleep(1000); // restarts one second apart, as an operator would: not a wait for a condition
                jar.stop();
            }
            for (int k = 0; k < variants.length; k++) {
                System.out.printf("mean [%s]: %.3f s%n", variants[k], sums[k] / (n / variants.length - 1));
            }
        }
    }
}
