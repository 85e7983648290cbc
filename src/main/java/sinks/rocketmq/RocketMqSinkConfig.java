package sinks.rocketmq;

import config.SinkConfig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code sink: {type: rocketmq}} (docs/sinks/rocketmq.md).
 *
 * @param producerGroup    producer group (default {@code tributary_<pipeline>})
 * @param tag              tag of every message; null = the table name
 * @param trace            message trace on the producer
 * @param accessKey        ACL access key (null = no ACL)
 * @param secretKey        ACL secret key (never printed)
 * @param autoCreateTopics create missing topics (development only)
 * @param sendOkOnly       only SEND_OK counts as delivered; false also accepts FLUSH_DISK_TIMEOUT, FLUSH_SLAVE_TIMEOUT
 *                         and SLAVE_NOT_AVAILABLE (stored on the master, not yet durable)
 * @param options          the sink's tuning ({@link RocketMqSinkFactory#OPTIONS})
 */
public record RocketMqSinkConfig(String namesrv, String producerGroup, String tag, boolean trace, String accessKey,
                                 String secretKey, boolean autoCreateTopics, boolean sendOkOnly, Map<String, String> options)
        implements SinkConfig {

    public RocketMqSinkConfig {
        options = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("namesrv", namesrv);
        m.put("producerGroup", producerGroup);
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
        return "RocketMqSinkConfig[namesrv=" + namesrv + ", producerGroup=" + producerGroup + ", tag=" + tag + ", trace=" + trace
                + ", accessKey=" + accessKey + ", secretKey=" + (secretKey == null ? null : "******") + ", autoCreateTopics="
                + autoCreateTopics + ", sendOkOnly=" + sendOkOnly + ", options=" + options.keySet() + "]";
    }
}
