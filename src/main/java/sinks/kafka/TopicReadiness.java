package sinks.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Makes a topic usable before the first record goes to it: created through the admin client when it is missing (with
 * the broker's default partitions and replication, as auto-creation would) and awaited until every partition has a
 * leader that answers requests. Left to the producer's auto-creation, the first batch raced the new partitions' leader elections: the
 * idempotent producer got NOT_LEADER_OR_FOLLOWER, then OUT_OF_ORDER_SEQUENCE_NUMBER on every retry, and the batch
 * failed only after the whole delivery timeout (docs/reliability.md). A topic is checked once per sink start.
 */
public final class TopicReadiness implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopicReadiness.class);
    private static final Duration LEADERS_WAIT = Duration.ofSeconds(30);

    private final Properties adminProps = new Properties();
    private final Set<String> ready = ConcurrentHashMap.newKeySet();
    private Admin admin;

    public TopicReadiness(Properties producerProps) {
        Set<String> adminKeys = AdminClientConfig.configNames();
        producerProps.forEach((k, v) -> {
            if (adminKeys.contains(String.valueOf(k))) {
                adminProps.put(k, v);
            }
        });
    }

    /** Returns at once for a topic seen ready before; else creates it if missing and waits for its partitions' leaders. */
    public void awaitReady(String topic) throws Exception {
        if (ready.contains(topic)) {
            return;
        }
        synchronized (this) {
            if (ready.contains(topic)) {
                return;
            }
            if (admin == null) {
                admin = Admin.create(adminProps);
            }
            long deadline = System.nanoTime() + LEADERS_WAIT.toNanos();
            while (true) {
                Optional<TopicDescription> description;
                try {
                    description = describe(topic);
                    if (description.isEmpty()) {
                        create(topic);
                    }
                } catch (AuthorizationException e) {
                    // a principal may write to a topic without the right to describe or create it: the producer decides
                    LOG.warn("cannot check Kafka topic {} before the first send ({}); leaving it to the producer", topic, e.getMessage());
                    ready.add(topic);
                    return;
                }
                if (description.isEmpty()) {
                    // created: described again on the next round
                } else if (description.get().partitions().stream().map(TopicPartitionInfo::leader).allMatch(l -> l != null && !l.isEmpty())
                        && leadersServe(topic, description.get())) {
                    ready.add(topic);
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Kafka topic " + topic + " has partitions without a leader after " + LEADERS_WAIT.toSeconds() + " s");
                }
                Thread.sleep(100);
            }
        }
    }

    private Optional<TopicDescription> describe(String topic) throws Exception {
        try {
            Map<String, TopicDescription> d = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS);
            return Optional.ofNullable(d.get(topic));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return Optional.empty();
            }
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /**
     * Whether every partition's leader answers a request (the latest offset): a leader in the metadata is not yet
     * a partition that takes records — the broker publishes the metadata before its replica manager becomes leader.
     */
    private boolean leadersServe(String topic, TopicDescription description) {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        description.partitions().forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        try {
            admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
            return true;
        } catch (Exception notYet) {
            LOG.debug("Kafka topic {} not served yet: {}", topic, notYet.getMessage());
            return false;
        }
    }

    private void create(String topic) throws Exception {
        try {
            admin.createTopics(List.of(new NewTopic(topic, Optional.empty(), Optional.empty()))).all().get(10, TimeUnit.SECONDS);
            LOG.info("created Kafka topic {} (broker defaults for partitions and replication)", topic);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        }
    }

    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
            admin = null;
        }
    }
}
