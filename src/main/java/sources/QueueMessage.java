package sources;

/**
 * One message as a queue source polled it.
 *
 * @param topic  the topic it was read from
 * @param queue  its partition (Kafka) or queue ({@code broker:queueId}, RocketMQ): the unit of order
 * @param offset its offset in that partition or queue
 */
public record QueueMessage(String topic, String queue, long offset, byte[] key, byte[] value) {

    /** {@code topic:queue:offset}: where the message is, as dead letters and positions name it. */
    public String coordinates() {
        return topic + ":" + queue + ":" + offset;
    }
}
