package config;

/**
 * The pipeline-file half of a sink plug-in: its type name and its {@code sink:} keys. Registered in
 * {@code META-INF/services/config.SinkType} and found by {@link SinkTypes}; the plug-in's other half (creating the
 * sink, its prechecks) is {@code sinks.SinkFactory}, which extends this. docs/architecture.md shows how to add one.
 */
public interface SinkType {

    /** The value of {@code sink.type}. */
    String type();

    /** Reads and validates the {@code sink:} section; reports each problem through {@code sink.error} and goes on. */
    SinkConfig read(Section sink);

    /** The object key that names where a table's changes go ({@code objectsCsv}'s destination column fills it). */
    default String destinationKey() {
        return "topic";
    }

    /** True when the sink can carry DDL messages ({@code format.ddl}). */
    default boolean carriesDdl() {
        return false;
    }
}
