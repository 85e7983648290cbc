package sources.rocketmq;

import config.SourceConfig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code source: {type: rocketmq}}: change messages read back from RocketMQ topics (docs/sources/queues.md).
 *
 * @param namesrv       NameServer address(es), host:port;host:port
 * @param topics        the topics read
 * @param tags          a tag expression ({@code *}, {@code orders || items})
 * @param consumerGroup the consumer group whose offsets (kept by the broker) are the source's position
 * @param format        the messages' format, any Tributary writes
 * @param accessKey     ACL access key (null = no ACL)
 * @param secretKey     ACL secret key (never printed)
 */
public record RocketMqSourceConfig(String namesrv, List<String> topics, String tags, String consumerGroup, String format,
                                   String accessKey, String secretKey) implements SourceConfig {

    public RocketMqSourceConfig {
        topics = List.copyOf(topics);
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("namesrv", namesrv);
        m.put("topics", topics);
        m.put("consumerGroup", consumerGroup);
        m.put("format", format);
        return m;
    }

    @Override
    public List<String> secrets() {
        List<String> s = new ArrayList<>();
        s.add(secretKey);
        return s;
    }

    @Override
    public String toString() {
        return "RocketMqSourceConfig[namesrv=" + namesrv + ", topics=" + topics + ", tags=" + tags + ", consumerGroup=" + consumerGroup
                + ", format=" + format + ", accessKey=" + accessKey + ", secretKey=" + (secretKey == null ? null : "******") + "]";
    }
}
