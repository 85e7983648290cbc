package sinks.kafka;

import config.SinkConfig;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code sink: {type: kafka}} (docs/sinks/kafka.md).
 *
 * @param brokers bootstrap servers
 * @param options camel-kafka endpoint options, checked against Camel's catalog ({@code additionalProperties.*}: any
 *                Kafka producer setting)
 */
public record KafkaSinkConfig(String brokers, Map<String, String> options) implements SinkConfig {

    public KafkaSinkConfig {
        options = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    @Override
    public Map<String, Object> describe() {
        return Map.of("brokers", String.valueOf(brokers));
    }

    /** The Kafka client settings among the options ({@code additionalProperties.} taken off). */
    public Map<String, String> clientSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        options.forEach((k, v) -> {
            if (k.startsWith("additionalProperties.")) {
                settings.put(k.substring("additionalProperties.".length()), v);
            }
        });
        return settings;
    }
}
