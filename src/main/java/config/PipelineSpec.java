package config;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A pipeline as the operator wrote it, validated (see {@link PipelineLoader}; every key is documented in docs/pipelines.md).
 * Secrets are resolved here but never printed: {@link SourceSpec#toString()} masks the password.
 *
 * @param startTimestamp mode incremental: the changes committed at or after this instant (null = from now)
 * @param labels         the operator's tags ({@code labels: [billing, eu]}), for listing and filtering
 */
public record PipelineSpec(String name, SourceSpec source, Mode mode, Instant startTimestamp, List<ObjectSpec> objects,
                           formats.FormatSpec format, SinkSpec sink, ErrorPolicy errors, BatchPolicy batch, Dedup dedup,
                           Snapshot snapshot, List<String> labels) {

    public PipelineSpec {
        labels = labels == null ? List.of() : List.copyOf(labels);
    }

    /** A pipeline without labels. */
    public PipelineSpec(String name, SourceSpec source, Mode mode, Instant startTimestamp, List<ObjectSpec> objects,
                        formats.FormatSpec format, SinkSpec sink, ErrorPolicy errors, BatchPolicy batch, Dedup dedup, Snapshot snapshot) {
        this(name, source, mode, startTimestamp, objects, format, sink, errors, batch, dedup, snapshot, List.of());
    }

    /** Whether the pipeline carries every one of these labels. */
    public boolean hasLabels(java.util.Collection<String> wanted) {
        return labels.containsAll(wanted);
    }

    /**
     * A PostgreSQL snapshot read by {@code threads} connections in ranges of about {@code chunkRows} rows
     * ({@code sources.postgres.PostgresParallelSnapshot}; docs/pipelines.md, "Parallel snapshot"). Null: Debezium's own snapshot.
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
        List<String> secrets = new java.util.ArrayList<>(sink.config().secrets());
        secrets.addAll(source.config().secrets());
        secrets.add(dedup == null ? null : dedup.password());
        for (String secret : secrets) {
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

    /** Where changes come from: the source's type and its plug-in's validated keys ({@link SourceTypes}; docs/sources/). */
    public record SourceSpec(String type, SourceConfig config) {

        /** The plug-in's own config record. */
        public <T extends SourceConfig> T config(Class<T> kind) {
            return kind.cast(config);
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
     * @param settings         the source plug-in's own keys of this object (the JDBC polling source: how the table is
     *                         polled); null for sources without any
     * @param where            row filter, a SQL condition (null = every row); docs/processing.md
     * @param columns          the columns to keep (empty = all); the primary key is always kept
     * @param rename           names in the output (null = the source's)
     */
    public record ObjectSpec(String schema, String table, String topic, List<String> shardingColumns, String target, String path,
                             TableSettings settings, String where, List<String> columns, Rename rename) {
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
     * Where changes go: the sink's type and its plug-in's validated keys ({@link SinkTypes}; docs/sinks/).
     */
    public record SinkSpec(String type, SinkConfig config) {

        /** The plug-in's own config record. */
        public <T extends SinkConfig> T config(Class<T> kind) {
            return kind.cast(config);
        }

        public Map<String, String> options() {
            return config.options();
        }
    }

    /**
     * The bounds of one batch — one exchange, one sink transaction or send round, one offset commit.
     *
     * @param maxEvents most changes in one batch (Debezium {@code max.batch.size}; the source queue holds 4×)
     * @param maxWaitMs longest a partial batch waits for more changes (Debezium {@code poll.interval.ms}, also its
     *                  PostgreSQL reader's pause when no WAL is pending): short, because batches fill by themselves
     *                  while the sink works on the previous one
     * @param overlap   a CDC source prepares the next streamed batch while the one before awaits its acknowledgements
     *                  (cdc: {@code overlapBatches}; never with dedup)
     */
    public record BatchPolicy(int maxEvents, int maxWaitMs, boolean overlap) {
        public BatchPolicy(int maxEvents, int maxWaitMs) {
            this(maxEvents, maxWaitMs, true);
        }
    }

    /** Retries of a failed batch (exponential backoff), after which the pipeline stops FAILED without committing. */
    public record ErrorPolicy(int retries, long retryDelayMs, long maxRetryDelayMs) {
    }
}
