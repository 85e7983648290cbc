package config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks a Camel component's endpoint options against the component's own catalog (the JSON descriptor every Camel
 * component ships in {@code META-INF/org/apache/camel/component/<scheme>/<scheme>.json}): the name must be one of its
 * options (or under a multi-value prefix such as {@code additionalProperties.}), the value must fit the option's type.
 * Without it a wrong value surfaced only when the route started — as a server error on {@code POST /api/pipelines},
 * and not at all in {@code validate}.
 */
final class ComponentOptions {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, JsonNode> CATALOG = new ConcurrentHashMap<>();

    private ComponentOptions() {
    }

    /** Reports every option of {@code options} that {@code scheme}'s endpoint does not have, or whose value does not fit. */
    static void check(YamlFields f, String scheme, Map<String, String> options, String keyPrefix) {
        JsonNode properties = catalog(scheme).path("properties");
        options.forEach((name, value) -> {
            JsonNode option = properties.get(name);
            if (option == null) {
                boolean prefixed = false;
                for (JsonNode p : properties) {
                    prefixed |= p.path("multiValue").asBoolean() && p.hasNonNull("prefix") && name.startsWith(p.get("prefix").asText());
                }
                if (!prefixed) {
                    f.error(keyPrefix + name, "not an option of Camel's " + scheme + " endpoint");
                }
                return;
            }
            String problem = problem(option, value);
            if (problem != null) {
                f.error(keyPrefix + name, problem);
            }
        });
    }

    private static String problem(JsonNode option, String value) {
        if (value.startsWith("{{") || value.startsWith("#") || value.startsWith("RAW(")) {
            return null; // a property placeholder or a bean reference: resolved by Camel
        }
        switch (option.path("type").asText()) {
            case "integer":
                return value.matches("-?\\d{1,18}") ? null : "expected a whole number, got '" + value + "'";
            case "number":
                return value.matches("-?\\d+(\\.\\d+)?") ? null : "expected a number, got '" + value + "'";
            case "boolean":
                return value.equals("true") || value.equals("false") ? null : "expected true or false, got '" + value + "'";
            case "duration":
                return value.matches("\\d+|(\\d+(ms|s|m|h|d))+|P.*") ? null : "expected a duration (milliseconds, 5s, PT5S), got '" + value + "'";
            case "enum":
                for (JsonNode allowed : option.path("enum")) {
                    if (allowed.asText().equals(value)) {
                        return null;
                    }
                }
                return "expected one of " + option.path("enum") + ", got '" + value + "'";
            default:
                return null; // text, objects: the component decides
        }
    }

    private static JsonNode catalog(String scheme) {
        return CATALOG.computeIfAbsent(scheme, s -> {
            String resource = "META-INF/org/apache/camel/component/" + s + "/" + s + ".json";
            try (InputStream in = ComponentOptions.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("Camel's catalog entry " + resource + " is not on the classpath");
                }
                return JSON.readTree(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
