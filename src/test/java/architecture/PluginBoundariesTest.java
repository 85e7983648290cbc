package architecture;

import config.SinkType;
import config.SinkTypes;
import config.SourceType;
import config.SourceTypes;
import org.junit.jupiter.api.Test;
import sinks.SinkFactory;
import sources.SourceFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A source or sink type is known only to its own plug-in's package: no switch, comparison or set of type names
 * anywhere else, so adding one is a package plus its registration.
 */
class PluginBoundariesTest {

    static final Path MAIN = Path.of("src/main/java");

    /** The same word meaning something else: file → the literal it may hold, and why. */
    static final Map<String, Set<String>> OTHER_MEANINGS = Map.of(
            "config/ProcessingLoader.java", Set.of("\"jdbc\""),         // dedup.repository: jdbc
            "processors/dedup/Deduplicator.java", Set.of("\"jdbc\""));  // dedup.repository: jdbc

    @Test
    void everyTypeIsAPluginInItsOwnPackage() {
        assertEquals(Set.of("hdfs", "jdbc", "kafka", "rocketmq"), SinkTypes.names());
        assertEquals(Set.of("jdbc", "kafka", "mariadb", "mysql", "oceanbase", "postgres", "rocketmq", "sqlserver"), SourceTypes.names());
        Set<String> sinkPackages = new HashSet<>();
        for (String type : SinkTypes.names()) {
            SinkType plugin = SinkTypes.get(type);
            assertTrue(plugin instanceof SinkFactory, type + " builds sinks");
            assertTrue(plugin.getClass().getPackageName().startsWith("sinks."), type + ": " + plugin.getClass());
            assertTrue(sinkPackages.add(plugin.getClass().getPackageName()), "one package per sink type: " + plugin.getClass());
        }
        for (String type : SourceTypes.names()) {
            SourceType plugin = SourceTypes.get(type);
            assertTrue(plugin instanceof SourceFactory, type + " starts routes");
            // one package per source family: the binlog flavours (mysql, mariadb, oceanbase) share sources.binlog
            assertTrue(plugin.getClass().getPackageName().startsWith("sources."), type + ": " + plugin.getClass());
        }
    }

    @Test
    void noTypeNameOutsideItsPluginsPackage() throws Exception {
        Map<String, Set<Path>> owners = new TreeMap<>();
        SinkTypes.names().forEach(t -> owners.computeIfAbsent(t, k -> new HashSet<>()).add(packageDir(SinkTypes.get(t))));
        SourceTypes.names().forEach(t -> owners.computeIfAbsent(t, k -> new HashSet<>()).add(packageDir(SourceTypes.get(t))));
        List<Path> files;
        try (Stream<Path> all = Files.walk(MAIN)) {
            files = all.filter(p -> p.toString().endsWith(".java")).toList();
        }
        List<String> found = new ArrayList<>();
        for (Map.Entry<String, Set<Path>> type : owners.entrySet()) {
            String literal = "\"" + type.getKey() + "\"";
            for (Path file : files) {
                String name = MAIN.relativize(file).toString().replace('\\', '/');
                if (type.getValue().stream().anyMatch(file::startsWith) || OTHER_MEANINGS.getOrDefault(name, Set.of()).contains(literal)) {
                    continue;
                }
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i).trim();
                    boolean comment = line.startsWith("*") || line.startsWith("/*") || line.startsWith("//");
                    if (!comment && line.contains(literal)) {
                        found.add(name + ":" + (i + 1) + ": " + lines.get(i).trim());
                    }
                }
            }
        }
        assertEquals(List.of(), found, "type names outside their plug-in's package");
    }

    static Path packageDir(Object plugin) {
        return MAIN.resolve(plugin.getClass().getPackageName().replace('.', '/'));
    }
}
