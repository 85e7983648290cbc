package config;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A pipeline as the operator wrote it, validated (see {@link PipelineLoader}; every key is documented in docs/pipelines.md).
 * Secrets are resolved here but never printed: {@link SourceSpec#toString()} masks the password.
 *
 * @param startTimestamp mode incremental: the changes committed at or after this instant (null = from now)
 */
public record PipelineSpec(String name, SourceSpec source, Mode mode, Instant startTimestamp, List<ObjectSpec> objects,
                           formats.FormatSpec format, SinkSpec sink, ErrorPolicy errors, BatchPolicy batch, Dedup dedup,
                           Snapshot snapshot) {

    /**
     * A PostgreSQL snapshot read by {@code threads} connections in ranges of about {@code chunkRows} rows
     * ({@code sources.ParallelSnapshot}; docs/pipelines.md, "Parallel snapshot"). Null: Debezium's own snapshot.
     */
    public record Snapshot(int threads, int chunkRows) {
    }

    /**
     * Drops changes already delivered (docs/processing.md, "Dedup"), by event id, remembered for {@code windowMs}.
     *
     * @param repository {@code memory} (this process) or {@code jdbc} (durable, shareable: camel-sql's message-id table)
     * @param url        jdbc: the database holding the table (null for memory)
     */
    public record Dedup(String repository, long windowMs, String url, String user, String password) {
        @Override
        public String toString() {
            return "Dedup[repository=" + repository + ", windowMs=" + windowMs + ", url=" + url + ", user=" + user + ", password=******]";
        }
    }

    /** A text (an error, a check's detail) with every secret of this pipeline replaced by {@code ******}. */
    public String masked(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String secret : new String[]{source.password(), sink.jdbc() == null ? null : sink.jdbc().password(),
                sink.secretKey(), dedup == null ? null : dedup.password()}) {
            if (secret != null && !secret.isEmpty()) {
                out = out.replace(secret, "******");
            }
        }
        return out;
    }

    public enum Mode {
        /** snapshot, then the pipeline ends SUCCESS */
        FULL("full"),
        /** changes from now on, no snapshot */
        INCREMENTAL("incremental"),
        /** snapshot, then stream without a gap */
        FULL_AND_INCREMENTAL("full-and-incremental");

        public final String key;

        Mode(String key) {
            this.key = key;
        }
    }

    /**
     * Where changes come from.
     *
     * @param database    PostgreSQL: the database; MySQL/MariaDB: optional (the objects name {@code database.table})
     * @param slot        PostgreSQL replication slot (null for other sources)
     * @param publication PostgreSQL publication (null for other sources)
     * @param serverId    MySQL/MariaDB replica server id, unique among the server's replicas (0 for other sources)
     * @param polling     JDBC polling: the URL and the poll timing (null for log-based sources)
     * @param publishSchemas PostgreSQL: the publication covers the objects' whole schemas ({@code FOR TABLES IN SCHEMA}),
     *                    so a table created later (drop and re-create included) is published from its creation
     */
    public record SourceSpec(String type, String host, int port, String database, String user, String password,
                             String slot, String publication, long serverId, Map<String, String> options, Polling polling,
                             boolean publishSchemas) {

        /** A source that reads a MySQL-protocol binlog (MySQL, MariaDB, OceanBase's binlog service). */
        public boolean isBinlog() {
            return "mysql".equals(type) || "mariadb".equals(type) || "oceanbase".equals(type);
        }

        @Override
        public String toString() {
            return "SourceSpec[type=" + type + ", host=" + host + ", port=" + port + ", database=" + database
                    + ", user=" + user + ", password=******, slot=" + slot + ", publication=" + publication
                    + ", serverId=" + serverId + ", options=" + options.keySet() + "]";
        }
    }

    /**
     * A JDBC polling source (docs/sources/jdbc.md).
     *
     * @param url            any JDBC URL whose driver is on the classpath
     * @param pollIntervalMs pause after a poll that found nothing new
     * @param delayMs        timestamp modes: read only rows whose timestamp is older than the database's now minus this,
     *                       so a transaction that commits within it is not passed by
     */
    public record Polling(String url, int pollIntervalMs, int delayMs) {
    }

    /**
     * How a JDBC polling source finds a table's new and changed rows.
     *
     * @param mode               {@code incrementing}, {@code timestamp}, {@code timestamp+incrementing} or {@code bulk}
     * @param incrementingColumn a strictly increasing column (incrementing modes)
     * @param timestampColumn    a last-modified column (timestamp modes)
     */
    public record PollSpec(String mode, String incrementingColumn, String timestampColumn) {
        public boolean usesTimestamp() {
            return mode.startsWith("timestamp");
        }

        public boolean usesIncrementing() {
            return mode.endsWith("incrementing");
        }
    }

    /**
     * One table (or a {@code *} pattern of tables) and where its changes go.
     *
     * @param schema           schema name (no wildcard)
     * @param table            table name, {@code *} matches any run of characters
     * @param topic            target topic; {@code {schema}} and {@code {table}} are replaced by the change's table
     * @param shardingColumns  columns whose values choose the partition / message queue; empty = the primary key
     * @param target           JDBC target table (null = the source table's name)
     * @param path             HDFS table folder (null = {@code {database}/{table}} under the sink's path); {@code {database}},
     *                         {@code {schema}}, {@code {table}} are replaced; relative to the sink's path unless it starts with /
     * @param poll             JDBC polling source: how this table is polled (null for other sources)
     * @param where            row filter, a SQL condition (null = every row); docs/processing.md
     * @param columns          the columns to keep (empty = all); the primary key is always kept
     * @param rename           names in the output (null = the source's)
     */
    public record ObjectSpec(String schema, String table, String topic, List<String> shardingColumns, String target, String path,
                             PollSpec poll, String where, List<String> columns, Rename rename) {
        public ObjectSpec {
            shardingColumns = List.copyOf(shardingColumns);
            columns = List.copyOf(columns);
        }

        /** The JDBC target table: {@code target}, or the source table's name. */
        public String targetFor(String tableName) {
            return target != null ? target : tableName;
        }

        public boolean matches(String schemaName, String tableName) {
            return schema.equals(schemaName) && TablePatterns.matches(table, tableName);
        }

        public String topicFor(String schemaName, String tableName) {
            return topic.replace("{schema}", schemaName).replace("{table}", tableName);
        }

        /** The HDFS folder of one table, before the sink's base path is put in front of a relative one. */
        public String pathFor(String databaseName, String schemaName, String tableName) {
            return (path != null ? path : "{database}/{table}").replace("{database}", String.valueOf(databaseName))
                    .replace("{schema}", String.valueOf(schemaName)).replace("{table}", tableName);
        }
    }

    /**
     * Names in the output (messages, DDL, keys): the database (schema), the table, and columns old → new. Null parts
     * keep the source's name.
     */
    public record Rename(String database, String table, Map<String, String> columns) {
        public Rename {
            columns = Map.copyOf(columns);
        }
    }

    /**
     * Where changes go. Kafka uses {@code brokers}; RocketMQ uses {@code namesrv} and the keys after it.
     *
     * @param producerGroup      RocketMQ producer group (default {@code tributary_<pipeline>})
     * @param tag                RocketMQ tag of every message; null = the table name
     * @param trace              RocketMQ message trace on the producer
     * @param accessKey          RocketMQ ACL access key (null = no ACL)
     * @param secretKey          RocketMQ ACL secret key (never printed)
     * @param autoCreateTopics   create missing RocketMQ topics (development only)
     * @param sendOkOnly         RocketMQ: only SEND_OK counts as delivered; false also accepts FLUSH_DISK_TIMEOUT,
     *                           FLUSH_SLAVE_TIMEOUT and SLAVE_NOT_AVAILABLE (stored on the master, not yet durable)
     */
    public record SinkSpec(String type, String brokers, String namesrv, String producerGroup, String tag, boolean trace,
                           String accessKey, String secretKey, boolean autoCreateTopics, boolean sendOkOnly,
                           Map<String, String> options, JdbcTarget jdbc, HdfsTarget hdfs) {
        @Override
        public String toString() {
            return "SinkSpec[type=" + type + ", brokers=" + brokers + ", namesrv=" + namesrv + ", producerGroup=" + producerGroup
                    + ", tag=" + tag + ", trace=" + trace + ", accessKey=" + accessKey + ", secretKey=" + (secretKey == null ? null : "******")
                    + ", autoCreateTopics=" + autoCreateTopics + ", sendOkOnly=" + sendOkOnly + ", options=" + options.keySet() + "]";
        }
    }

    /**
     * A JDBC sink's target (null for other sinks).
     *
     * @param noPrimaryKey {@code fail}: a table without a primary key stops the pipeline with a clear error;
     *                     {@code insert}: its changes are inserted (updates and deletes cannot be applied and are skipped, counted)
     */
    public record JdbcTarget(String url, String user, String password, boolean autoCreate, boolean autoEvolve, int batchSize,
                             String noPrimaryKey) {
        @Override
        public String toString() {
            return "JdbcTarget[url=" + url + ", user=" + user + ", password=******, autoCreate=" + autoCreate + ", autoEvolve="
                    + autoEvolve + ", batchSize=" + batchSize + ", noPrimaryKey=" + noPrimaryKey + "]";
        }
    }

    /**
     * The bounds of one batch — one exchange, one sink transaction or send round, one offset commit.
     *
     * @param maxEvents most changes in one batch (Debezium {@code max.batch.size}; the source queue holds 4×)
     * @param maxWaitMs longest the source waits for changes before it looks again when its queue is empty
     *                  (Debezium {@code poll.interval.ms}): a change waits at most this long before its batch starts
     */
    public record BatchPolicy(int maxEvents, int maxWaitMs) {
    }

    /**
     * An HDFS (or {@code file://}) sink's target (null for other sinks); docs/sinks/hdfs.md.
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
    public record HdfsTarget(String uri, String path, String fileFormat, String partition, long rollBytes, long rollRecords,
                             long rollAgeMs, boolean hsync, String user, Map<String, String> options) {
    }

    /** Retries of a failed batch (exponential backoff), after which the pipeline stops FAILED without committing. */
    public record ErrorPolicy(int retries, long retryDelayMs, long maxRetryDelayMs) {
    }
}
