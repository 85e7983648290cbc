package app;

import org.junit.jupiter.api.Test;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Debezium and Kafka Connect classes Tributary carries its own copy of (src/main/java/io/debezium,
 * src/main/java/org/apache/kafka): each names, in its header, the release it was copied from, and the build fails when
 * the jar on the class path is another one — the copy would silently replace newer code. Each is also left out of the
 * fat JAR's copy of that jar (pom.xml, shade filter: {@code Name*.class}, or {@code Name.class} and {@code Name$*.class}
 * where another class's name starts with it), or the JAR would hold two classes of one name.
 */
class ShadowedClassesTest {

    private static final Pattern COPIED_FROM = Pattern.compile("TRIBUTARY: .*?(?:Debezium|Kafka) (\\S+)'s class", Pattern.DOTALL);

    @Test
    void everyShadowedClassMatchesTheDebeziumOnTheClassPathAndIsLeftOutOfItsJar() throws Exception {
        Path root = Path.of("src/main/java");
        List<Path> shadows;
        try (Stream<Path> debezium = Files.walk(root.resolve("io/debezium")); Stream<Path> kafka = Files.walk(root.resolve("org/apache/kafka"))) {
            shadows = Stream.concat(debezium, kafka).filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        assertFalse(shadows.isEmpty());
        String pom = Files.readString(Path.of("pom.xml"));
        List<String> problems = new ArrayList<>();
        for (Path shadow : shadows) {
            String name = root.relativize(shadow).toString().replace('\\', '/').replaceAll("\\.java$", "");
            Matcher header = COPIED_FROM.matcher(Files.readString(shadow));
            if (!header.find()) {
                problems.add(name + ": no header naming the Debezium or Kafka release it was copied from");
                continue;
            }
            String version = header.group(1);
            String jar = null;
            for (URL url : Collections.list(getClass().getClassLoader().getResources(name + ".class"))) {
                if (url.getProtocol().equals("jar")) {
                    jar = url.getPath().substring(0, url.getPath().indexOf("!/"));
                }
            }
            if (jar == null) {
                problems.add(name + ": the jar it was copied from no longer has this class");
            } else if (!jar.endsWith("-" + version + ".jar")) {
                problems.add(name + ": copied from release " + version + ", but the class path has " + jar.substring(jar.lastIndexOf('/') + 1)
                        + " — compare the two and copy the change again, or remove the copy");
            }
            boolean leftOut = pom.contains("<exclude>" + name + "*.class</exclude>")
                    || pom.contains("<exclude>" + name + ".class</exclude>") && pom.contains("<exclude>" + name + "$*.class</exclude>");
            if (!leftOut) {
                problems.add(name + ": the fat JAR's shade filter does not leave the jar's copy out (pom.xml)");
            }
        }
        assertEquals(List.of(), problems);
        assertTrue(shadows.size() >= 10, shadows.toString());
    }
}
