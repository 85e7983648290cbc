package examples.sinks.lines;

import config.PipelineSpec;
import config.Prechecks;
import config.Section;
import config.SinkConfig;
import sinks.BatchSink;
import sinks.SinkContext;
import sinks.SinkFactory;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The smallest complete sink plug-in, as docs/architecture.md walks through it: a type name, its keys (validated, each
 * problem reported with its key), the sink it builds, and a precheck. Registered by its own
 * {@code META-INF/services/config.SinkType}; nothing outside this package names it.
 */
public final class LinesSinkFactory implements SinkFactory {

    @Override
    public String type() {
        return "lines";
    }

    @Override
    public SinkConfig read(Section sink) {
        sink.onlyKeys("type", "file");
        String file = sink.string("file", true, null);
        if (file != null && !Path.of(file).isAbsolute()) {
            sink.error("file", "'" + file + "' must be an absolute path");
        }
        return new LinesSinkConfig(file);
    }

    @Override
    public BatchSink create(SinkContext c) {
        return new LinesSink(Path.of(c.spec().sink().config(LinesSinkConfig.class).file()), c.format(), c.counters());
    }

    @Override
    public void precheck(PipelineSpec spec, Prechecks checks) {
        Path folder = Path.of(spec.sink().config(LinesSinkConfig.class).file()).getParent();
        checks.check("sink.file", () -> {
            if (!Files.isDirectory(folder) || !Files.isWritable(folder)) {
                throw new IllegalStateException(folder + " is not a writable folder");
            }
            return folder + " is writable";
        });
    }
}
