package sources.kafka;

import config.SourceConfig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code source: {type: kafka}}: change messages read back from Kafka topics (docs/sources/queues.md).
 *
 * @param brokers      bootstrap servers
 * @param topics       the topics read; empty when {@code topicPattern} names them
 * @param topicPattern a Java regular expression over topic names (topics created later join), or null
 * @param group        the consumer group whose committed offsets are the source's position
 * @param format       the messages' format, any Tributary writes ({@code debezium} also reads Debezium's own JSON)
 * @param options      Kafka consumer settings as the client names them ({@code security.protocol}, ...)
 */
public record KafkaSourceConfig(String brokers, List<String> topics, String topicPattern, String group, String format,
                                Map<String, String> options) implements SourceConfig {

    public KafkaSourceConfig {
        topics = List.copyOf(topics);
        options = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("brokers", brokers);
        m.put(topicPattern == null ? "topics" : "topicPattern", topicPattern == null ? topics : topicPattern);
        m.put("group", group);
        m.put("format", format);
        return m;
    }

    /** Option values that hold credentials (a JAAS configuration, key and trust store passwords). */
    @Override
    public List<String> secrets() {
        List<String> secrets = new ArrayList<>();
        options.forEach((k, v) -> {
            if (k.contains("password") || k.contains("jaas") || k.contains("secret")) {
                secrets.add(v);
            }
        });
        return secrets;
    }

    @Override
    public Map<String, String> options() {
        return options;
    }
}
