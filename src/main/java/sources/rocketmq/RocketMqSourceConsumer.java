package sources.rocketmq;

import org.apache.camel.Endpoint;
import org.apache.camel.Processor;
import org.apache.rocketmq.acl.common.AclClientRPCHook;
import org.apache.rocketmq.acl.common.SessionCredentials;
import org.apache.rocketmq.client.consumer.DefaultLitePullConsumer;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;
import sources.QueueMessage;
import sources.QueueMessages;
import sources.QueueSourceConsumer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The RocketMQ source's client: the RocketMQ client's {@link DefaultLitePullConsumer}, auto-commit off, committing to
 * the broker (persisted at once) exactly the queue offsets after each delivered batch. Not camel-rocketmq's consumer:
 * it is a push consumer that hands a route one message at a time and acknowledges it when the exchange ends, with no
 * batch, no per-queue order and no way to hold the offsets of a failed batch (a failed message is sent back for
 * retry, behind the key's later changes). A poll of the lite consumer returns one queue's pull, in queue order; a batch
 * gathers polls until {@code maxEvents} messages or until nothing more is waiting.
 */
final class RocketMqSourceConsumer extends QueueSourceConsumer {

    private final RocketMqSourceConfig source;
    private final boolean fromLatest;
    private final int maxEvents;
    private DefaultLitePullConsumer consumer;

    RocketMqSourceConsumer(Endpoint endpoint, Processor processor, String name, RocketMqSourceConfig source, boolean fromLatest,
                           int maxEvents, QueueMessages messages) {
        super(endpoint, processor, name, messages);
        this.source = source;
        this.fromLatest = fromLatest;
        this.maxEvents = maxEvents;
    }

    @Override
    protected void open() throws Exception {
        consumer = source.accessKey() == null ? new DefaultLitePullConsumer(source.consumerGroup())
                : new DefaultLitePullConsumer(source.consumerGroup(), new AclClientRPCHook(new SessionCredentials(source.accessKey(), source.secretKey())));
        consumer.setNamesrvAddr(source.namesrv());
        consumer.setInstanceName("tributary-source-" + name); // its own client instance, not the sink producer's
        consumer.setAutoCommit(false);
        consumer.setConsumeFromWhere(fromLatest ? ConsumeFromWhere.CONSUME_FROM_LAST_OFFSET : ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        consumer.setPullBatchSize(Math.min(maxEvents, 32)); // the broker returns at most 32 messages per pull by default
        for (String topic : source.topics()) {
            consumer.subscribe(topic, source.tags());
        }
        consumer.start();
    }

    @Override
    protected List<QueueMessage> poll() {
        List<QueueMessage> polled = new ArrayList<>();
        long wait = 500;
        while (polled.size() < maxEvents) {
            List<MessageExt> pulled = consumer.poll(wait);
            if (pulled.isEmpty()) {
                break;
            }
            for (MessageExt m : pulled) {
                polled.add(new QueueMessage(m.getTopic(), m.getBrokerName() + ":" + m.getQueueId(), m.getQueueOffset(), key(m), m.getBody()));
            }
            wait = 5; // more only if already waiting: a batch does not wait to fill
        }
        return polled;
    }

    /**
     * The key as the readers take it, a JSON object of the key columns, when the message names them ({@code keyColumns},
     * written by Tributary's sink); null otherwise — the formats that carry their key columns name them themselves.
     */
    static byte[] key(MessageExt m) {
        String columns = m.getUserProperty(sinks.rocketmq.RocketMqSink.KEY_COLUMNS);
        if (columns == null || columns.isEmpty()) {
            return null;
        }
        StringBuilder json = new StringBuilder("{");
        for (String c : columns.split(",")) {
            json.append(json.length() > 1 ? "," : "").append('"').append(c.replace("\\", "\\\\").replace("\"", "\\\"")).append("\":null");
        }
        return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected void commit(List<QueueMessage> delivered) {
        Map<MessageQueue, Long> next = new HashMap<>();
        for (QueueMessage m : delivered) {
            int colon = m.queue().lastIndexOf(':');
            next.put(new MessageQueue(m.topic(), m.queue().substring(0, colon), Integer.parseInt(m.queue().substring(colon + 1))), m.offset() + 1);
        }
        consumer.commitSync(next, true);
    }

    @Override
    protected void disconnect() {
        if (consumer != null) {
            try {
                consumer.shutdown();
            } catch (RuntimeException e) {
                // a client that failed is shut down as far as it goes
            }
            consumer = null;
        }
    }
}
