package config;

import java.util.Map;
import java.util.Set;

/** The sink plug-ins on the classpath, by type name ({@code META-INF/services/config.SinkType}). */
public final class SinkTypes {

    private static final Map<String, SinkType> TYPES = Plugins.load(SinkType.class, SinkType::type);

    private SinkTypes() {
    }

    /** The plug-in of a type; null if none is registered. */
    public static SinkType get(String type) {
        return type == null ? null : TYPES.get(type);
    }

    /**
     * A sink's keys given outside a pipeline file (an endpoint's options): read and validated by the type's plug-in,
     * {@code ${env:NAME}} resolved; every problem named with its key.
     *
     * @param origin names the place in errors (an endpoint URI without its secrets)
     * @throws PipelineConfigException with every problem found
     */
    public static PipelineSpec.SinkSpec read(String origin, String type, Map<String, Object> keys, String name) {
        SinkType plugin = get(type);
        if (plugin == null) {
            throw new PipelineConfigException(java.util.List.of(origin + ": no sink plug-in for type '" + type + "'"));
        }
        SinkConfig config = Section.read(origin, type, keys, name, plugin::read);
        return new PipelineSpec.SinkSpec(type, config);
    }

    /** Every registered type name, sorted. */
    public static Set<String> names() {
        return TYPES.keySet();
    }
}
