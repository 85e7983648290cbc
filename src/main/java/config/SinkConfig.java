package config;

import java.util.List;
import java.util.Map;

/** One sink type's validated {@code sink:} keys (a record of its plug-in, e.g. {@code sinks.kafka.KafkaSinkConfig}). */
public interface SinkConfig {

    /** What status and the console show of the sink: where it writes, never a secret. */
    Map<String, Object> describe();

    /** Values to replace by {@code ******} wherever a text of this pipeline is shown. */
    default List<String> secrets() {
        return List.of();
    }

    /** The component options passed through as written ({@code sink.options}). */
    default Map<String, String> options() {
        return Map.of();
    }

    /** True when the target must know every table's key before the first change (an upsert sink that may not guess one). */
    default boolean needsPrimaryKeys() {
        return false;
    }
}
