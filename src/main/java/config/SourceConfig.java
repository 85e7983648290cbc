package config;

import java.util.List;
import java.util.Map;

/** One source type's validated {@code source:} keys (a record of its plug-in, e.g. {@code sources.postgres.PostgresSourceConfig}). */
public interface SourceConfig {

    /** What status and the console show of the source: where it reads, never a secret. */
    Map<String, Object> describe();

    /** Values to replace by {@code ******} wherever a text of this pipeline is shown. */
    default List<String> secrets() {
        return List.of();
    }

    /** The options passed through to the source's engine as written ({@code source.options}). */
    default Map<String, String> options() {
        return Map.of();
    }
}
