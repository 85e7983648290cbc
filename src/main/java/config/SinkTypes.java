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

    /** Every registered type name, sorted. */
    public static Set<String> names() {
        return TYPES.keySet();
    }
}
