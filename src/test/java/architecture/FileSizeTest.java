package architecture;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * No class of ours over 400 lines: one that grows past it holds more than one job. Debezium's and Kafka's own classes
 * that we carry with a fix (packages {@code io.debezium}, {@code org.apache.kafka}) stay as upstream wrote them, to be
 * diffed against it and dropped.
 */
class FileSizeTest {

    private static final int MOST_LINES = 400;

    @Test
    void noSourceFileIsOverTheLimit() throws Exception {
        Path root = Path.of("src/main/java");
        try (Stream<Path> files = Files.walk(root)) {
            List<String> tooLong = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> !root.relativize(p).startsWith("io/debezium") && !root.relativize(p).startsWith("org/apache/kafka"))
                    .filter(p -> lines(p) > MOST_LINES)
                    .map(p -> root.relativize(p) + " (" + lines(p) + " lines)")
                    .toList();
            assertEquals(List.of(), tooLong, "split these along their jobs (docs/architecture.md)");
        }
    }

    private static long lines(Path file) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.count();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
