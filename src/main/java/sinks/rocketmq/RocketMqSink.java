package sinks.rocketmq;

import formats.ChangeEventFormat;
import formats.JsonValues;
import model.ChangeEvent;
import sinks.BatchSink;
import sinks.InOrderChunks;
import processors.ShardKeys;
import model.TableId;
import org.apache.rocketmq.acl.common.AclClientRPCHook;
import org.apache.rocketmq.acl.common.SessionCredentials;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import counters.PipelineCounters;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The RocketMQ sink of a pipeline: partition-ordered delivery (docs/sinks/rocketmq.md).
 * <p>
 * Each change goes to the message queue {@code floorMod(shardKey.hashCode(), queueCount)} of its topic, where
 * {@code shardKey} is the JSON object of its sharding columns (default: the primary key) — the same text as the Kafka
 * record key, hashed with Java's {@code String.hashCode()}, so any consumer can reproduce it. A batch is grouped by
 * queue in source order and each queue's messages are sent in order, as RocketMQ batches, synchronously; a failed
 * send is retried before anything later of the same queue is sent, so per-key order holds under retries. The exchange
 * completes only when every message was stored (SEND_OK); otherwise it fails and no offset moves.
 * <p>
 * camel-rocketmq 4.17 cannot choose a queue (it always sends round-robin with a callback), hence this small sender on
 * the RocketMQ client that camel-rocketmq brings; hand-written routes can still use {@code rocketmq:} where order does
 * not matter.
 */
public class RocketMqSink extends BatchSink {

    private static final Logger LOG = LoggerFactory.getLogger(RocketMqSink.class);

    private final RocketMqSinkConfig spec;
    private final ChangeEventFormat format;
    private final Function<TableId, String> topics;
    private final ShardKeys shardKeys;
    private final List<String> topicsToCheck;
    private final int sendTimeoutMs;
    private final int sendRetries;
    private final long retryDelayMs;
    private final int maxBatchMessages;
    private final int maxBatchBytes;
    private final Map<String, List<MessageQueue>> queuesByTopic = new ConcurrentHashMap<>();
    private DefaultMQProducer producer;
    private java.util.concurrent.ExecutorService senders;
    private final int sendThreads;
    private final sinks.DeadLetters deadLetters;

    /**
     * @param shardKeys       the text whose hash chooses a change's queue
     * @param topicsToCheck   topics known before any change arrives, checked when the sink starts
     */
    public RocketMqSink(RocketMqSinkConfig spec, ChangeEventFormat format, Function<TableId, String> topics,
                        ShardKeys shardKeys, List<String> topicsToCheck, PipelineCounters counters) {
        this(spec, format, topics, shardKeys, topicsToCheck, counters, null);
    }

    /** @param deadLetters where a message above the producer's size limit goes (null: it fails the batch) */
    public RocketMqSink(RocketMqSinkConfig spec, ChangeEventFormat format, Function<TableId, String> topics,
                        ShardKeys shardKeys, List<String> topicsToCheck, PipelineCounters counters, sinks.DeadLetters deadLetters) {
        super(counters);
        this.deadLetters = deadLetters;
        this.topicsToCheck = List.copyOf(topicsToCheck);
        this.spec = spec;
        this.format = format;
        this.topics = topics;
        this.shardKeys = shardKeys;
        Map<String, String> o = spec.options();
        this.sendTimeoutMs = Integer.parseInt(o.getOrDefault("sendTimeoutMs", "5000"));
        this.sendRetries = Integer.parseInt(o.getOrDefault("sendRetries", "5"));
        this.retryDelayMs = Long.parseLong(o.getOrDefault("retryDelayMs", "500"));
        this.maxBatchMessages = Integer.parseInt(o.getOrDefault("maxBatchMessages", "256"));
        this.sendThreads = Math.max(1, Integer.parseInt(o.getOrDefault("sendThreads", "8")));
        this.maxBatchBytes = Integer.parseInt(o.getOrDefault("maxBatchBytes", String.valueOf(1024 * 1024)));
        this.maxMessageBytes = Integer.parseInt(o.getOrDefault("maxMessageBytes", String.valueOf(4 * 1024 * 1024)));
    }

    /** Heartbeats every this many ms of silence, in formats that have them; 0: none. */
    private int heartbeatIntervalMs;

    /** The format's heartbeats every {@code intervalMs} of silence ({@link sinks.StreamMarkers}); 0: none. */
    public RocketMqSink withHeartbeats(int intervalMs) {
        this.heartbeatIntervalMs = intervalMs;
        return this;
    }

    /** The client's limit (RocketMQ's default 4 MB); a larger message is a dead letter. */
    private final int maxMessageBytes;

    @Override
    protected void doStart() throws Exception {
        producer = spec.accessKey() == null
                ? new DefaultMQProducer(spec.producerGroup(), spec.trace(), null)
                : new DefaultMQProducer(spec.producerGroup(), aclHook(spec), spec.trace(), null);
        producer.setNamesrvAddr(spec.namesrv());
        producer.setSendMsgTimeout(sendTimeoutMs);
        producer.setRetryTimesWhenSendFailed(0); // retries are ours: the same queue, before anything later
        producer.setInstanceName("tributary-" + spec.producerGroup() + "-" + System.identityHashCode(this));
        producer.start();
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        senders = java.util.concurrent.Executors.newFixedThreadPool(sendThreads, r -> {
            Thread t = new Thread(r, "rocketmq-send-" + spec.producerGroup() + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        if (sinks.StreamMarkers.wanted(format, heartbeatIntervalMs)) {
            markers = new sinks.StreamMarkers(format, topics, topicsToCheck, (topic, key, value) -> {
                List<MessageQueue> queues = queuesOf(topic);
                Message m = new Message(topic, spec.tag() != null ? spec.tag() : "marker", value);
                m.setKeys(new String(key, java.nio.charset.StandardCharsets.UTF_8));
                sendInOrder(queues.get(Math.floorMod(m.getKeys().hashCode(), queues.size())), List.of(m));
            });
            markers.startHeartbeats(spec.producerGroup(), heartbeatIntervalMs);
        }
        // OMS's prerequisite, checked up front: a missing topic is reported now, and fails the first batch (after its
        // retries) with the same message unless someone creates the topic meanwhile
        for (String topic : topicsToCheck) {
            for (String problem : precheck(topic)) {
                LOG.error("{}", problem);
                counters.recordError(new IllegalStateException(problem));
            }
        }
    }

    static AclClientRPCHook aclHook(RocketMqSinkConfig spec) {
        return new AclClientRPCHook(new SessionCredentials(spec.accessKey(), spec.secretKey()));
    }

    @Override
    protected void doStop() {
        if (markers != null) {
            markers.close();
            markers = null;
        }
        if (deadLetters != null) {
            deadLetters.resendWith(null);
        }
        if (senders != null) {
            senders.shutdown();
        }
        if (producer != null) {
            producer.shutdown();
        }
        queuesByTopic.clear();
    }

    /** Problems that stop this sink from delivering to {@code topic}: none, or one line naming it. */
    public List<String> precheck(String topic) {
        try {
            queuesOf(topic);
            return List.of();
        } catch (Exception e) {
            return List.of(e.getMessage());
        }
    }

    /**
     * Whether {@code topic} is an ordered topic on every broker that serves it — the {@code order} flag
     * ({@code mqadmin updateTopic -o true}) or the 5.x attribute {@code message.type=FIFO} — read from each broker's
     * topic config. This sink keeps order per queue either way; the property is what makes the brokers and the
     * consumers treat the topic as ordered (queue numbering kept across brokers, FIFO consumption in 5.x clients).
     * Returns what was found; throws naming the brokers where the topic is not ordered.
     */
    public String orderedProperty(String topic) throws Exception {
        var api = producer.getDefaultMQProducerImpl().getMqClientFactory().getMQClientAPIImpl();
        var route = api.getTopicRouteInfoFromNameServer(topic, 3000);
        List<String> ordered = new ArrayList<>();
        List<String> unordered = new ArrayList<>();
        for (var broker : route.getBrokerDatas()) {
            String master = broker.getBrokerAddrs().get(org.apache.rocketmq.common.MixAll.MASTER_ID);
            if (master == null) {
                continue; // no master now: nothing to read (and nothing this sink could write to)
            }
            org.apache.rocketmq.common.TopicConfig config = api.getTopicConfig(master, topic, 3000);
            boolean fifo = config.getTopicMessageType() == org.apache.rocketmq.common.attribute.TopicMessageType.FIFO;
            (config.isOrder() || fifo ? ordered : unordered).add(broker.getBrokerName() + (fifo ? " (message.type=FIFO)" : " (order=" + config.isOrder() + ")"));
        }
        if (!unordered.isEmpty()) {
            throw new IllegalStateException("topic '" + topic + "' is not ordered on " + unordered
                    + ": mqadmin updateTopic -t " + topic + " -o true (or -a +message.type=FIFO)");
        }
        return topic + " ordered on " + ordered;
    }

    @Override
    protected void deliver(List<ChangeEvent> events) throws Exception {
        // messages built (encoded) on every core, chunk by chunk, then grouped by queue in source order
        Map<MessageQueue, List<Message>> byQueue = new LinkedHashMap<>();
        InOrderChunks.run(events, MESSAGES_PER_CHUNK, chunk -> {
            List<Routed> routed = new ArrayList<>(chunk.size());
            for (ChangeEvent event : chunk) {
                String topic = topics.apply(event.table());
                List<MessageQueue> queues = queuesOf(topic);
                String key = shardKey(event);
                MessageQueue queue = queues.get(Math.floorMod(key.hashCode(), queues.size()));
                for (int part = 0, parts = format.parts(event); part < parts; part++) { // parts of one event: one queue, in order
                    routed.add(new Routed(queue, message(topic, event, part), event, key));
                }
            }
            return routed;
        }, routed -> {
            for (Routed r : routed) {
                if (deadLetters != null && r.message().getBody().length > maxMessageBytes) {
                    // the client refuses it, whatever the retries: kept as a dead letter, the batch goes on
                    deadLetters.add(r.event(), r.message().getTopic(), r.key().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                            r.message().getBody(), new IllegalArgumentException("message body of " + r.message().getBody().length
                                    + " bytes is above the producer's maxMessageSize of " + maxMessageBytes + " bytes"));
                    continue;
                }
                byQueue.computeIfAbsent(r.queue(), q -> new ArrayList<>()).add(r.message());
            }
        });
        if (byQueue.isEmpty()) {
            return;
        }
        if (byQueue.size() == 1) {
            Map.Entry<MessageQueue, List<Message>> only = byQueue.entrySet().iterator().next();
            sendInOrder(only.getKey(), only.getValue());
            return;
        }
        // queues at once, each in order: a queue's next send waits for its previous one's answer, other queues do not
        // (one queue after the other spent most of a batch waiting for broker round trips)
        List<java.util.concurrent.Future<?>> sends = new ArrayList<>(byQueue.size());
        for (Map.Entry<MessageQueue, List<Message>> e : byQueue.entrySet()) {
            sends.add(senders.submit(() -> {
                sendInOrder(e.getKey(), e.getValue());
                return null;
            }));
        }
        Exception failure = null;
        for (java.util.concurrent.Future<?> send : sends) { // every queue finishes (or fails) before the batch is answered
            try {
                send.get();
            } catch (java.util.concurrent.ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof Exception cause ? cause : e;
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private record Routed(MessageQueue queue, Message message, ChangeEvent event, String key) {
    }

    /** A dead letter's message sent again to the queue its shard key chooses; returns when the broker stored it. */
    private void resend(sinks.DeadLetters.Letter letter) throws Exception {
        List<MessageQueue> queues = queuesOf(letter.destination());
        String key = new String(letter.key(), java.nio.charset.StandardCharsets.UTF_8);
        Message m = new Message(letter.destination(), letter.value());
        m.putUserProperty("tributary.id", letter.changeId());
        sendInOrder(queues.get(Math.floorMod(key.hashCode(), queues.size())), List.of(m));
    }

    /** Messages built per unit of parallel work: a default batch (2,048) is 8 units. */
    private static final int MESSAGES_PER_CHUNK = 256;

    /** The text whose hash chooses the queue ({@link ShardKeys}). */
    String shardKey(ChangeEvent event) {
        return shardKeys.of(event);
    }

    /** The message property that names the key columns whose values the message keys hold (read back by the RocketMQ source). */
    public static final String KEY_COLUMNS = "keyColumns";

    private Message message(String topic, ChangeEvent event, int part) {
        Message m = new Message(topic, spec.tag() != null ? spec.tag() : event.table().table(), format.encode(event, part));
        List<String> primaryKey = event.primaryKey();
        Map<String, Object> row = event.row();
        if (primaryKey.size() == 1) {
            m.setKeys(String.valueOf(row == null ? null : row.get(primaryKey.get(0))));
        } else if (!primaryKey.isEmpty()) {
            m.setKeys(primaryKey.stream().map(c -> String.valueOf(row == null ? null : row.get(c))).toList());
        }
        if (!primaryKey.isEmpty()) {
            m.putUserProperty(KEY_COLUMNS, String.join(",", primaryKey)); // the keys hold values only: a reader needs the names
        }
        m.putUserProperty("db", event.table().database());
        m.putUserProperty("table", qualifiedName(event.table()));
        m.putUserProperty("op", event.op().code());
        m.putUserProperty("commitTs", String.valueOf(event.position().commitTs().toEpochMilli()));
        if (event.position().position() != null) {
            m.putUserProperty("position", event.position().position());
        }
        return m;
    }

    private record QualifiedName(TableId table, String name) {
    }

    private volatile QualifiedName lastName = new QualifiedName(null, null);

    /** A table's {@code schema.table}, made once for consecutive changes of the table (one holder: chunks race for it). */
    private String qualifiedName(TableId table) {
        QualifiedName last = lastName;
        if (last.table() != table) {
            lastName = last = new QualifiedName(table, table.qualifiedName());
        }
        return last.name();
    }

    /** One queue's messages, in order, as RocketMQ batches; a failed batch is retried before the next one is sent. */
    private void sendInOrder(MessageQueue queue, List<Message> messages) throws Exception {
        int from = 0;
        while (from < messages.size()) {
            int to = from;
            int bytes = 0;
            while (to < messages.size() && to - from < maxBatchMessages
                    && (to == from || bytes + messages.get(to).getBody().length <= maxBatchBytes)) {
                bytes += messages.get(to).getBody().length;
                to++;
            }
            sendWithRetries(queue, messages.subList(from, to));
            from = to;
        }
    }

    private void sendWithRetries(MessageQueue queue, List<Message> batch) throws Exception {
        for (int attempt = 0; ; attempt++) {
            try {
                SendResult result = batch.size() == 1
                        ? producer.send(batch.get(0), queue, sendTimeoutMs)
                        : producer.send(new ArrayList<>(batch), queue, sendTimeoutMs);
                if (result.getSendStatus() == SendStatus.SEND_OK || !spec.sendOkOnly()) {
                    return;
                }
                throw new IllegalStateException("RocketMQ answered " + result.getSendStatus() + " for " + batch.size()
                        + " messages to " + queue.getTopic() + "/" + queue.getQueueId());
            } catch (Exception e) {
                counters.recordError(e);
                if (attempt >= sendRetries) {
                    throw e;
                }
                LOG.warn("send of {} messages to {} queue {} failed ({}); retrying before anything later of that queue",
                        batch.size(), queue.getTopic(), queue.getQueueId(), e.getMessage());
                queuesByTopic.remove(queue.getTopic()); // the next batch re-reads the route
                Thread.sleep(retryDelayMs * (attempt + 1));
            }
        }
    }

    /** The topic's writable queues in a stable order (broker name, queue id), fetched once; a missing topic is an error naming it. */
    List<MessageQueue> queuesOf(String topic) throws Exception {
        List<MessageQueue> queues = queuesByTopic.get(topic);
        if (queues != null) {
            return queues;
        }
        try {
            queues = new ArrayList<>(producer.fetchPublishMessageQueues(topic));
        } catch (Exception e) {
            if (spec.autoCreateTopics()) {
                LOG.warn("creating RocketMQ topic {} with 8 queues (autoCreateTopics: development only)", topic);
                producer.createTopic("TBW102", topic, 8, Map.of());
                queues = new ArrayList<>(producer.fetchPublishMessageQueues(topic));
            } else {
                throw new IllegalStateException("RocketMQ topic '" + topic + "' does not exist or has no writable queues at "
                        + spec.namesrv() + " (create it with the ordered property, e.g. mqadmin updateTopic -t " + topic
                        + " -r 8 -w 8 -o true): " + e.getMessage(), e);
            }
        }
        if (queues.isEmpty()) {
            throw new IllegalStateException("RocketMQ topic '" + topic + "' has no writable queues at " + spec.namesrv());
        }
        queues.sort(Comparator.comparing(MessageQueue::getBrokerName).thenComparingInt(MessageQueue::getQueueId));
        queuesByTopic.put(topic, List.copyOf(queues));
        return queuesByTopic.get(topic);
    }
}
