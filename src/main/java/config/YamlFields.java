package config;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Typed reads of one YAML document's keys. Each read reports its own error as {@code origin: key: reason} and returns
 * null or the default, so that every problem of a file is collected, not only the first.
 */
class YamlFields {

    private static final Pattern SLOT_NAME = Pattern.compile("[a-z0-9_]{1,63}");
    private static final Pattern SECRET_REF = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");

    final String origin;
    final List<String> errors = new ArrayList<>();
    private final Function<String, String> environment;

    YamlFields(String origin, Function<String, String> environment) {
        this.origin = origin;
        this.environment = environment;
    }

    void error(String key, String reason) {
        errors.add(origin + ": " + key + ": " + reason);
    }

    boolean bool(JsonNode parent, String prefix, String key, boolean defaultValue) {
        JsonNode n = parent.get(key);
        if (n == null || n.isNull()) {
            return defaultValue;
        }
        if (!n.isBoolean()) {
            error(prefix + key, "expected true or false, got " + describe(n));
            return defaultValue;
        }
        return n.booleanValue();
    }

    List<String> columnList(JsonNode parent, String key) {
        JsonNode n = parent.get(key.substring(key.lastIndexOf('.') + 1));
        if (n == null || n.isNull()) {
            return List.of();
        }
        if (!n.isArray() || n.isEmpty()) {
            error(key, "expected a non-empty list of column names, got " + describe(n));
            return List.of();
        }
        List<String> columns = new ArrayList<>();
        for (JsonNode c : n) {
            if (!c.isTextual() || c.asText().isBlank()) {
                error(key, "expected column names, got " + describe(c));
            } else {
                columns.add(c.asText());
            }
        }
        return columns;
    }

    // ---- typed accessors: each reports its own error and returns null / the default ----

    void onlyKeys(JsonNode n, String prefix, String... allowed) {
        Set<String> known = Set.of(allowed);
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!known.contains(key)) {
                error(prefix + key, "unknown key (allowed here: " + String.join(", ", allowed) + ")");
            }
        }
    }

    JsonNode object(JsonNode parent, String prefix, String key, boolean required) {
        JsonNode n = parent.get(key);
        if (n == null || n.isNull()) {
            if (required) {
                error(prefix + key, "missing");
            }
            return null;
        }
        if (!n.isObject()) {
            error(prefix + key, "expected a mapping, got " + describe(n));
            return null;
        }
        return n;
    }

    String string(JsonNode parent, String prefix, String key, boolean required, String defaultValue) {
        JsonNode n = parent.get(key);
        if (n == null || n.isNull()) {
            if (required) {
                error(prefix + key, "missing");
            }
            return defaultValue;
        }
        if (!n.isValueNode() || n.isBoolean()) {
            // a secret's value is never echoed, even when it has the wrong type
            boolean secret = key.contains("password") || key.contains("secret");
            error(prefix + key, "expected a text value, got " + (secret ? "a " + n.getNodeType().name().toLowerCase() : describe(n)));
            return null;
        }
        String value = n.asText();
        if (value.isBlank()) {
            error(prefix + key, "must not be empty");
            return null;
        }
        return value;
    }

    int integer(JsonNode parent, String prefix, String key, int defaultValue, int min, int max) {
        JsonNode n = parent.get(key);
        if (n == null || n.isNull()) {
            return defaultValue;
        }
        if (!n.canConvertToInt() || !n.isIntegralNumber()) {
            error(prefix + key, "expected a whole number, got " + describe(n));
            return defaultValue;
        }
        int v = n.intValue();
        if (v < min || v > max) {
            error(prefix + key, v + " is out of range [" + min + ", " + max + "]");
        }
        return v;
    }

    Map<String, String> options(JsonNode parent, String prefix) {
        JsonNode n = object(parent, prefix, "options", false);
        Map<String, String> options = new LinkedHashMap<>();
        if (n == null) {
            return options;
        }
        n.fields().forEachRemaining(e -> {
            if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                error(prefix + "options." + e.getKey(), "expected a text, number or boolean, got " + describe(e.getValue()));
            } else {
                options.put(e.getKey(), e.getValue().asText());
            }
        });
        return options;
    }

    String oneOf(String value, String key, java.util.Collection<String> allowed) {
        if (value != null && !allowed.contains(value)) {
            error(key, "'" + value + "' is not supported (supported: " + allowed.stream().sorted().collect(Collectors.joining(", ")) + ")");
            return null;
        }
        return value;
    }

    String identifier(String value, String key) {
        if (value != null && !SLOT_NAME.matcher(value).matches()) {
            error(key, "'" + value + "' is not valid: lower-case letters, digits and '_', at most 63 characters");
            return null;
        }
        return value;
    }

    /** Resolves {@code ${env:NAME}}; the error names the variable, never the value. */
    String secret(String value, String key) {
        if (value == null) {
            return null;
        }
        Matcher m = SECRET_REF.matcher(value);
        StringBuilder resolved = new StringBuilder();
        while (m.find()) {
            String v = environment.apply(m.group(1));
            if (v == null) {
                error(key, "environment variable " + m.group(1) + " is not set");
                return null;
            }
            m.appendReplacement(resolved, Matcher.quoteReplacement(v));
        }
        m.appendTail(resolved);
        return resolved.toString();
    }

    String describe(JsonNode n) {
        if (n.isObject()) {
            return "a mapping";
        }
        if (n.isArray()) {
            return "a list";
        }
        if (n.isTextual()) {
            return "text '" + n.asText() + "'";
        }
        return n.getNodeType().name().toLowerCase() + " " + n.asText();
    }
}
