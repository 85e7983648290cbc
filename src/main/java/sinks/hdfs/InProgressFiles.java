package sinks.hdfs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The temporary part files a pipeline has open, kept in its data directory beside the source offsets: written before a
 * part is created and after it is published, so a restart knows exactly which files a crash left behind — without
 * listing every table folder, and without touching another pipeline's files. Parts are published on a thread of
 * their own, hence the locks.
 */
final class InProgressFiles {

    private final Path file;
    private final Set<String> paths = new LinkedHashSet<>();

    InProgressFiles(Path file) {
        this.file = file;
        try {
            if (Files.exists(file)) {
                Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).forEach(paths::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    synchronized List<String> all() {
        return List.copyOf(paths);
    }

    synchronized void add(String path) throws IOException {
        if (paths.add(path)) {
            save();
        }
    }

    synchronized void remove(String path) throws IOException {
        if (paths.remove(path)) {
            save();
        }
    }

    private void save() throws IOException {
        state.AtomicFiles.write(file, String.join("\n", paths).concat(paths.isEmpty() ? "" : "\n").getBytes(StandardCharsets.UTF_8));
    }
}
