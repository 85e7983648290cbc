package blocks;

import org.apache.camel.support.service.ServiceSupport;
import sinks.kafka.TopicReadiness;

import java.util.Properties;

/**
 * Makes a Kafka topic usable before the first record goes to it, as pipelines do: created through the admin client
 * when missing and awaited until every partition has a leader. Left to auto-creation, camel-kafka's idempotent producer
 * races the new partitions' leader elections and holds the first batch for its whole delivery timeout
 * (docs/reliability.md, "A new Kafka topic"). A topic is checked once.
 * <pre>
 * - bean: {ref: kafkaTopics, method: "ready(${header.topic})"}
 * </pre>
 */
public class KafkaTopics extends ServiceSupport {

    private String brokers;
    private volatile TopicReadiness readiness;

    public String getBrokers() {
        return brokers;
    }

    public void setBrokers(String brokers) {
        this.brokers = brokers;
    }

    /** Returns once {@code topic} exists and every partition has a leader. */
    public void ready(String topic) throws Exception {
        TopicReadiness r = readiness;
        if (r == null) {
            synchronized (this) {
                if (readiness == null) {
                    if (brokers == null) {
                        throw new IllegalArgumentException("KafkaTopics.brokers: missing (the bootstrap servers)");
                    }
                    Properties p = new Properties();
                    p.put("bootstrap.servers", brokers);
                    readiness = new TopicReadiness(p);
                }
                r = readiness;
            }
        }
        r.awaitReady(topic);
    }

    @Override
    protected void doStop() throws Exception {
        if (readiness != null) {
            readiness.close();
            readiness = null;
        }
    }
}
