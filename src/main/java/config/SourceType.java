package config;

import java.util.List;

/**
 * The pipeline-file half of a source plug-in: its type name, its {@code source:} keys and any keys it adds to each
 * object. Registered in {@code META-INF/services/config.SourceType} and found by {@link SourceTypes}; the other half
 * (the route's start, prechecks) is {@code sources.SourceFactory}, which extends this.
 */
public interface SourceType {

    /** The value of {@code source.type}. */
    String type();

    /** Reads and validates the {@code source:} section; reports each problem through {@code source.error} and goes on. */
    SourceConfig read(Section source);

    /** Keys this source adds to each object (beyond table, topic, where, columns, ...). */
    default List<String> tableKeys() {
        return List.of();
    }

    /** Reads them for one object ({@code table} is the object's table name); null when the source has none. */
    default TableSettings readTable(Section object, String table, PipelineSpec.Mode mode) {
        return null;
    }

    /** Why this source cannot run in {@code mode}, or null when it can. */
    default String refusesMode(PipelineSpec.Mode mode) {
        return null;
    }

    /**
     * True when the source reports where each transaction ends, so it can deliver whole transactions only (what a
     * format that numbers a transaction's changes needs, SharePlex's {@code meta.size}).
     */
    default boolean reportsTransactionEnds() {
        return false;
    }

    /** True when {@code startTimestamp} may lie in the past (the source can seek its log by time). */
    default boolean seeksByTime() {
        return false;
    }

    /** True when the source reads a snapshot with several connections ({@code snapshot: {threads, chunkRows}}). */
    default boolean parallelSnapshot() {
        return false;
    }
}
