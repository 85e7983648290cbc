package sinks;

import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.junit.jupiter.api.Test;
import testsupport.RocketMqBroker;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RocketMqHarnessIT {
    @Test
    void sends() throws Exception {
        long t0 = System.nanoTime();
        try (RocketMqBroker mq = new RocketMqBroker()) {
            System.out.printf("rocketmq up in %.1f s%n", (System.nanoTime() - t0) / 1e9);
            mq.createTopic("smoke", 8);
            DefaultMQProducer p = new DefaultMQProducer("smoke_group");
            p.setNamesrvAddr(mq.namesrv());
            p.start();
            SendResult r = p.send(new Message("smoke", "tag", "hello".getBytes(StandardCharsets.UTF_8)));
            assertEquals(SendStatus.SEND_OK, r.getSendStatus());
            System.out.println("queues: " + p.fetchPublishMessageQueues("smoke").size());
            p.shutdown();
        }
    }
}
