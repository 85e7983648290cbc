package config;

import java.nio.file.Path;

/** Finding the file of a pipelines folder that holds a given pipeline (its name is inside, not in the file name). */
public final class PipelineFiles {

    private PipelineFiles() {
    }

    /** The file of a pipelines folder that defines the pipeline {@code name} (broken files of other pipelines skipped). */
    public static java.util.Optional<Path> fileOf(PipelineLoader loader, Path dir, String name) throws java.io.IOException {
        if (!java.nio.file.Files.isDirectory(dir)) {
            return java.util.Optional.empty();
        }
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dir)) {
            for (Path f : files.filter(PipelineLoader::isPipelineFile).sorted().toList()) {
                try {
                    if (loader.load(f).name().equals(name)) {
                        return java.util.Optional.of(f);
                    }
                } catch (PipelineConfigException e) {
                    // another, broken file: not this pipeline's
                }
            }
        }
        return java.util.Optional.empty();
    }
}
