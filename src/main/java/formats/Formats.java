package formats;

import java.util.Map;
import java.util.Set;

/** Formats by the name pipelines use in {@code format:}. */
public final class Formats {

    private static final Map<String, ChangeEventFormat> BY_NAME = Map.of("debezium", new DebeziumJsonFormat());

    private Formats() {
    }

    public static Set<String> names() {
        return BY_NAME.keySet();
    }

    public static ChangeEventFormat byName(String name) {
        ChangeEventFormat format = BY_NAME.get(name);
        if (format == null) {
            throw new IllegalArgumentException("unknown format '" + name + "' (known: " + BY_NAME.keySet() + ")");
        }
        return format;
    }
}
