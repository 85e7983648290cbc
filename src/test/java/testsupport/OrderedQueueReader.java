package testsupport;

import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeOrderlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerOrderly;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.MessageExt;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An orderly RocketMQ consumer (MessageListenerOrderly: one queue at a time, in queue order) that keeps what it got. */
public final class OrderedQueueReader implements AutoCloseable {

    public final List<MessageExt> received = new CopyOnWriteArrayList<>();
    private final DefaultMQPushConsumer consumer;

    public OrderedQueueReader(String namesrv, String topic, String group) throws Exception {
        consumer = new DefaultMQPushConsumer(group);
        consumer.setNamesrvAddr(namesrv);
        consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        consumer.setInstanceName(group);
        consumer.subscribe(topic, "*");
        consumer.registerMessageListener((MessageListenerOrderly) (messages, context) -> {
            received.addAll(messages);
            return ConsumeOrderlyStatus.SUCCESS;
        });
        consumer.start();
    }

    @Override
    public void close() {
        consumer.shutdown();
    }
}
