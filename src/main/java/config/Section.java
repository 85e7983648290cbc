package config;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Collection;
import java.util.Map;

/**
 * One section of a pipeline document ({@code sink:}, {@code source:}) as a plug-in reads it: typed reads of its keys,
 * each reporting its own problem with the full key path ({@code sink.batchSize: 0 is out of range [1, 100000]}) and
 * returning the default, so that a file's every problem is collected, not only the first.
 */
public final class Section {

    private final YamlFields fields;
    private final JsonNode node;
    private final String prefix;
    private final String pipeline;

    Section(YamlFields fields, JsonNode node, String name, String pipeline) {
        this.fields = fields;
        this.node = node;
        this.prefix = name.isEmpty() ? "" : name + ".";
        this.pipeline = pipeline;
    }

    /**
     * Keys given outside a pipeline file (an endpoint's options) read by a plug-in as one section: {@code ${env:NAME}}
     * resolved, every problem named with its key.
     *
     * @param origin names the place in errors (an endpoint, never with its secrets)
     * @throws PipelineConfigException with every problem found
     */
    public static <T> T read(String origin, String type, java.util.Map<String, Object> keys, String name,
                             java.util.function.Function<Section, T> reader) {
        com.fasterxml.jackson.databind.node.ObjectNode node = new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(keys);
        if (type != null) {
            node.put("type", type);
        }
        YamlFields fields = new YamlFields(origin, System::getenv);
        T value = reader.apply(new Section(fields, node, "", name));
        if (!fields.errors.isEmpty()) {
            throw new PipelineConfigException(fields.errors);
        }
        return value;
    }

    /** The pipeline's name (null when it is itself invalid). */
    public String pipeline() {
        return pipeline;
    }

    /** The section as parsed, for a key no typed read fits. */
    public JsonNode node() {
        return node;
    }

    /** Reports {@code key} (relative to the section) as wrong. */
    public void error(String key, String reason) {
        fields.error(prefix + key, reason);
    }

    /** Reports every key not in {@code allowed}. */
    public void onlyKeys(String... allowed) {
        fields.onlyKeys(node, prefix, allowed);
    }

    public String string(String key, boolean required, String defaultValue) {
        return fields.string(node, prefix, key, required, defaultValue);
    }

    /**
     * A list of texts: a YAML list, or one text of comma-separated items (as an endpoint option gives it); empty when
     * absent (after reporting it when required).
     */
    public java.util.List<String> strings(String key, boolean required) {
        JsonNode n = node.get(key);
        if (n != null && n.isArray()) {
            java.util.List<String> items = new java.util.ArrayList<>();
            for (int i = 0; i < n.size(); i++) {
                JsonNode item = n.get(i);
                if (!item.isTextual() || item.asText().isBlank()) {
                    error(key + "[" + i + "]", "expected a non-empty text, got " + fields.describe(item));
                } else {
                    items.add(item.asText().trim());
                }
            }
            if (items.isEmpty() && required) {
                error(key, "must list at least one item");
            }
            return items;
        }
        String text = string(key, required, null);
        return text == null ? java.util.List.of() : java.util.Arrays.stream(text.split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList();
    }

    /** A secret: a text in which {@code ${env:NAME}} is resolved; never echoed in an error. */
    public String secret(String key, boolean required) {
        return fields.secret(fields.string(node, prefix, key, required, null), prefix + key);
    }

    public boolean bool(String key, boolean defaultValue) {
        return fields.bool(node, prefix, key, defaultValue);
    }

    public int integer(String key, int defaultValue, int min, int max) {
        return fields.integer(node, prefix, key, defaultValue, min, max);
    }

    /** A name the server creates (a slot, a publication): lower-case letters, digits and '_'. */
    public String identifier(String key, String defaultValue) {
        return fields.identifier(fields.string(node, prefix, key, false, defaultValue), prefix + key);
    }

    /** A text that must be one of {@code allowed} (null when it is not, after reporting it). */
    public String oneOf(String key, String defaultValue, Collection<String> allowed) {
        return oneOf(key, false, defaultValue, allowed);
    }

    public String oneOf(String key, boolean required, String defaultValue, Collection<String> allowed) {
        return fields.oneOf(fields.string(node, prefix, key, required, defaultValue), prefix + key, allowed);
    }

    /** The {@code options:} mapping, every value as text. */
    public Map<String, String> options() {
        return fields.options(node, prefix);
    }

    /** Reports each of {@code options} that Camel's catalog does not know for {@code scheme}'s endpoint, or whose value does not fit. */
    public void checkComponentOptions(String scheme, Map<String, String> options) {
        ComponentOptions.check(fields, scheme, options, prefix + "options.");
    }
}
