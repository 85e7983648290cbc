package app;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * scripts/tributary starts the fat JAR on the class-data sharing archive the build made beside it. A JVM quietly ignores
 * an archive that does not belong to its JAR (another JAR, another JDK, a class list the dump rejected) and starts
 * slower; here the class-loading log must show the application's classes coming from the archive. The launcher also
 * gives the JVM its default heap.
 */
class LauncherIT {

    @Test
    void theLauncherStartsTheJarOnItsArchive() throws Exception {
        ProcessBuilder b = new ProcessBuilder("scripts/tributary", "validate", "config/examples/postgres-to-kafka.yaml").redirectErrorStream(true);
        b.environment().put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        b.environment().put("JAVA_OPTS", "-Xlog:class+load=info");
        b.environment().put("SHOP_PG_PASSWORD", "not-used"); // the example reads it; validate connects nowhere
        Process p = b.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("app.Tributary source: shared objects file"), "Tributary's own classes come from the archive");
    }

    /**
     * With a JFR recording (or an agent) asked for, the launcher leaves the archive out: JDK 17 crashed in
     * check_shared_class_file_load_hook at a PostgreSQL pipeline's first connection when classes came from the archive
     * while JFR watched class loading.
     */
    @Test
    void aFlightRecordingStartsWithoutTheArchive() throws Exception {
        Path recording = java.nio.file.Files.createTempFile("launcher", ".jfr");
        try {
            ProcessBuilder b = new ProcessBuilder("scripts/tributary", "validate", "config/examples/postgres-to-kafka.yaml").redirectErrorStream(true);
            b.environment().put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
            b.environment().put("JAVA_OPTS", "-Xlog:class+load=info -XX:StartFlightRecording=filename=" + recording);
            b.environment().put("SHOP_PG_PASSWORD", "not-used");
            Process p = b.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.contains("starting without the class-data sharing archive"), out);
            assertTrue(out.contains("app.Tributary source: file:"), "Tributary's own classes come from the JAR");
        } finally {
            java.nio.file.Files.deleteIfExists(recording);
        }
    }

    /** The heap is 768 MB unless JAVA_OPTS names one (the JVM's own default is a quarter of the machine's memory). */
    @Test
    void theHeapIs768MbUnlessJavaOptsSetsOne() throws Exception {
        assertTrue(maxHeapLine("-XX:+PrintFlagsFinal").matches(".*MaxHeapSize += 805306368 .*"), "the launcher's default");
        assertTrue(maxHeapLine("-XX:+PrintFlagsFinal -Xmx1g").matches(".*MaxHeapSize += 1073741824 .*"), "the operator's -Xmx");
        assertTrue(maxHeapLine("-XX:+PrintFlagsFinal -XX:MaxRAMPercentage=50").matches(".*MaxHeapSize += (?!805306368 ).*"),
                "the operator's share of the memory");
    }

    private static String maxHeapLine(String javaOpts) throws Exception {
        ProcessBuilder b = new ProcessBuilder("scripts/tributary", "validate", "config/examples/postgres-to-kafka.yaml").redirectErrorStream(true);
        b.environment().put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        b.environment().put("JAVA_OPTS", javaOpts);
        b.environment().put("SHOP_PG_PASSWORD", "not-used");
        Process p = b.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out.lines().filter(l -> l.contains(" MaxHeapSize ")).findFirst().orElseThrow(() -> new AssertionError(out));
    }
}
