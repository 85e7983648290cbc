package architecture;

import config.SinkType;
import config.SinkTypes;
import org.junit.jupiter.api.Test;
import sinks.SinkFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A sink type is known only to its own package: no switch, comparison or set of type names anywhere else, so adding a
 * sink is one package plus its registration.
 */
class PluginBoundariesTest {

    static final Path MAIN = Path.of("src/main/java");

    /**
     * The same words used for something that is not a sink type. Each entry: file → the literal it may hold. The source
     * types go when sources become plug-ins as well.
     */
    static final Map<String, Set<String>> OTHER_MEANINGS = Map.of(
            "config/ProcessingLoader.java", Set.of("\"jdbc\""),        // dedup.repository: jdbc
            "processors/dedup/Deduplicator.java", Set.of("\"jdbc\""),  // dedup.repository: jdbc
            "config/PipelineLoader.java", Set.of("\"jdbc\""),          // source.type: jdbc (polling)
            "sources/JdbcPollingConsumer.java", Set.of("\"jdbc\""));   // the polling source's position

    @Test
    void everySinkTypeIsAPluginInAPackageOfItsOwn() {
        assertEquals(Set.of("hdfs", "jdbc", "kafka", "rocketmq"), SinkTypes.names());
        Set<String> packages = new java.util.HashSet<>();
        for (String type : SinkTypes.names()) {
            SinkType plugin = SinkTypes.get(type);
            assertTrue(plugin instanceof SinkFactory, type + " builds sinks");
            String pkg = plugin.getClass().getPackageName();
            assertTrue(pkg.startsWith("sinks."), type + ": " + pkg);
            assertTrue(packages.add(pkg), "one package per sink type: " + pkg);
        }
    }

    @Test
    void noSinkTypeNameOutsideItsPackage() throws Exception {
        List<String> found = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> all = Files.walk(MAIN)) {
            files = all.filter(p -> p.toString().endsWith(".java")).toList();
        }
        for (String type : SinkTypes.names()) {
            Path own = MAIN.resolve(SinkTypes.get(type).getClass().getPackageName().replace('.', '/'));
            String literal = "\"" + type + "\"";
            for (Path file : files) {
                String name = MAIN.relativize(file).toString().replace('\\', '/');
                if (file.startsWith(own) || OTHER_MEANINGS.getOrDefault(name, Set.of()).contains(literal)) {
                    continue;
                }
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    if (lines.get(i).contains(literal)) {
                        found.add(name + ":" + (i + 1) + ": " + lines.get(i).trim());
                    }
                }
            }
        }
        assertEquals(List.of(), found, "sink type names outside their plug-in's package");
    }
}
