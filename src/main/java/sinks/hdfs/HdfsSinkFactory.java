package sinks.hdfs;

import config.PipelineSpec;
import config.Prechecks;
import config.Section;
import config.SinkConfig;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import sinks.BatchSink;
import sinks.SinkContext;
import sinks.SinkFactory;

import java.net.URI;
import java.util.Set;

/** The {@code hdfs} sink plug-in: part files per table and partition, published by rename when they roll. */
public final class HdfsSinkFactory implements SinkFactory {

    static final Set<String> FILE_FORMATS = Set.of("jsonl", "csv", "parquet");

    @Override
    public String type() {
        return "hdfs";
    }

    /** The path part of a file system URI, null when it cannot be parsed (reported elsewhere). */
    private static String uriPath(String uri) {
        try {
            return URI.create(uri).getPath();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public SinkConfig read(Section sink) {
        sink.onlyKeys("type", "uri", "path", "fileFormat", "partition", "rollBytes", "rollRecords", "rollAgeMs", "sync", "user", "options");
        String uri = sink.string("uri", true, null);
        if (uri != null && !uri.matches("(hdfs|viewfs|file)://[^\\s]*")) {
            sink.error("uri", "'" + uri + "' is not a file system URI: expected hdfs://namenode:port (or viewfs://, file:///)");
        } else if (uri != null) {
            String folder = uriPath(uri);
            if (folder != null && !folder.isEmpty() && !folder.equals("/")) {
                // Hadoop takes only the file system from the URI: the folder would be silently ignored in favour of path
                sink.error("uri", "'" + uri + "' has a folder (" + folder + "): the uri names the file system only ("
                        + uri.substring(0, uri.length() - folder.length()) + (uri.startsWith("file:") ? "/" : "") + "); put the folder in path");
            }
        }
        String path = sink.string("path", true, null);
        if (path != null && (!path.startsWith("/") || path.contains(".."))) {
            sink.error("path", "'" + path + "' must be an absolute folder path without '..'");
        }
        boolean noPartition = sink.node().path("partition").isTextual() && sink.node().get("partition").asText().isEmpty();
        String partition = noPartition ? "" : sink.string("partition", false, "dt={yyyy-MM-dd}");
        if (partition != null && !partition.isEmpty()) {
            try {
                PartitionTemplate.parse(partition);
            } catch (IllegalArgumentException e) {
                sink.error("partition", e.getMessage());
            }
        }
        return new HdfsSinkConfig(uri, path, sink.oneOf("fileFormat", "jsonl", FILE_FORMATS), partition,
                sink.integer("rollBytes", 128 << 20, 1024, Integer.MAX_VALUE),
                sink.integer("rollRecords", 1_000_000, 1, Integer.MAX_VALUE),
                sink.integer("rollAgeMs", 300_000, 100, 86_400_000),
                "hsync".equals(sink.oneOf("sync", "hflush", Set.of("hflush", "hsync"))),
                sink.string("user", false, null),
                sink.options());
    }

    @Override
    public String destinationKey() {
        return "path";
    }

    @Override
    public BatchSink create(SinkContext c) {
        return new HdfsSink(c.spec().name(), c.spec().sink().config(HdfsSinkConfig.class), c.format(), c.routing()::folderOf,
                c.stateDir(), c.counters(), c.deadLetters().get());
    }

    /** sink.hdfs: the base folder can be made and written (a probe file, deleted again). */
    @Override
    public void precheck(PipelineSpec spec, Prechecks checks) {
        HdfsSinkConfig k = spec.sink().config(HdfsSinkConfig.class);
        checks.check("sink.hdfs", () -> {
            URI uri = URI.create(k.uri());
            try (FileSystem fs = k.user() == null ? FileSystem.newInstance(uri, HdfsSink.configuration(k))
                    : FileSystem.newInstance(uri, HdfsSink.configuration(k), k.user())) {
                Path base = new Path(k.path());
                fs.mkdirs(base);
                Path probe = new Path(base, ".tributary-precheck-" + spec.name());
                fs.create(probe, true).close();
                fs.delete(probe, false);
                return k.uri() + k.path() + " is writable";
            }
        });
    }
}
