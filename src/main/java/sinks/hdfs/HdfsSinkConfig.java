package sinks.hdfs;

import config.SinkConfig;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code sink: {type: hdfs}}: an HDFS (or {@code file://}) target (docs/sinks/hdfs.md).
 *
 * @param uri         file system, {@code hdfs://namenode:8020} or {@code file:///}
 * @param path        base folder of every table folder
 * @param fileFormat  {@code jsonl}, {@code csv} or {@code parquet}
 * @param partition   the folder below a table's, from the change's commit time: {@code {pattern}} parts are
 *                    java.time patterns (default {@code dt={yyyy-MM-dd}}), empty = no partition folder
 * @param rollBytes   a file is closed and published when it reaches this size ...
 * @param rollRecords ... or this many records ...
 * @param rollAgeMs   ... or when it has been open this long
 * @param hsync       true: each batch is hsync'ed (on the data nodes' disks); false: hflush'ed (in their memory)
 * @param user        the Hadoop user to act as (null = the OS user / HADOOP_USER_NAME)
 * @param options     Hadoop configuration keys (e.g. {@code dfs.replication})
 */
public record HdfsSinkConfig(String uri, String path, String fileFormat, String partition, long rollBytes, long rollRecords,
                             long rollAgeMs, boolean hsync, String user, Map<String, String> options) implements SinkConfig {

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("uri", uri);
        m.put("path", path);
        m.put("fileFormat", fileFormat);
        return m;
    }
}
