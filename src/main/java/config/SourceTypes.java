package config;

import java.util.Map;
import java.util.Set;

/** The source plug-ins on the classpath, by type name ({@code META-INF/services/config.SourceType}). */
public final class SourceTypes {

    private static final Map<String, SourceType> TYPES = Plugins.load(SourceType.class, SourceType::type);

    private SourceTypes() {
    }

    /** The plug-in of a type; null if none is registered. */
    public static SourceType get(String type) {
        return type == null ? null : TYPES.get(type);
    }

    /** Every registered type name, sorted. */
    public static Set<String> names() {
        return TYPES.keySet();
    }
}
