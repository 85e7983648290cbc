package app;

import config.PipelineLoader;
import config.PipelineSpec;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every pipeline file in {@code config/examples/} is valid as shipped (its {@code ${env:...}} secrets given), has a
 * name of its own and says in a comment what it is for; the docs name each one.
 */
class ExamplesTest {

    @Test
    void everyExampleLoads() throws Exception {
        List<Path> examples;
        try (Stream<Path> files = Files.list(Path.of("config/examples"))) {
            examples = files.filter(PipelineLoader::isPipelineFile).sorted().toList();
        }
        assertTrue(examples.size() >= 6, "examples: " + examples);
        StringBuilder docs = new StringBuilder(Files.readString(Path.of("README.md")));
        try (Stream<Path> pages = Files.list(Path.of("docs"))) {
            for (Path page : pages.filter(p -> p.getFileName().toString().startsWith("coming-from-")).toList()) {
                docs.append(Files.readString(page));
            }
        }
        Set<String> names = new HashSet<>();
        for (Path example : examples) {
            PipelineSpec spec = new PipelineLoader(variable -> "example-secret").load(example);
            assertTrue(names.add(spec.name()), example + ": the name " + spec.name() + " is taken by another example");
            assertTrue(Files.readString(example).startsWith("# "), example + ": starts with a comment that says what it is for");
            assertTrue(docs.toString().contains("config/examples/" + example.getFileName()), example + " is named in README.md or a docs/coming-from-*.md page");
        }
        assertEquals(examples.size(), names.size());
    }
}
