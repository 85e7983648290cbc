package config;

import java.util.Collections;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.Function;

/** Loads one kind of plug-in with Java's ServiceLoader ({@code META-INF/services/<interface name>}), by type name. */
final class Plugins {

    private Plugins() {
    }

    static <T> Map<String, T> load(Class<T> kind, Function<T, String> typeOf) {
        Map<String, T> types = new TreeMap<>();
        for (T plugin : ServiceLoader.load(kind, kind.getClassLoader())) {
            T other = types.putIfAbsent(typeOf.apply(plugin), plugin);
            if (other != null) {
                throw new IllegalStateException("two " + kind.getSimpleName() + " plug-ins for type '" + typeOf.apply(plugin) + "': "
                        + other.getClass().getName() + " and " + plugin.getClass().getName());
            }
        }
        return Collections.unmodifiableMap(types);
    }
}
