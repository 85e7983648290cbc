package config;

import java.util.Collections;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The sink plug-ins on the classpath, by type name (Java's ServiceLoader over {@code META-INF/services/config.SinkType}). */
public final class SinkTypes {

    private static final Map<String, SinkType> TYPES = load();

    private SinkTypes() {
    }

    private static Map<String, SinkType> load() {
        Map<String, SinkType> types = new TreeMap<>();
        for (SinkType t : ServiceLoader.load(SinkType.class, SinkTypes.class.getClassLoader())) {
            SinkType other = types.putIfAbsent(t.type(), t);
            if (other != null) {
                throw new IllegalStateException("two sink plug-ins for type '" + t.type() + "': " + other.getClass().getName()
                        + " and " + t.getClass().getName());
            }
        }
        return Collections.unmodifiableMap(types);
    }

    /** The plug-in of a type; null if none is registered. */
    public static SinkType get(String type) {
        return type == null ? null : TYPES.get(type);
    }

    /** Every registered type name, sorted. */
    public static java.util.Set<String> names() {
        return TYPES.keySet();
    }
}
