package sinks.kafka;

import model.ChangeEvent;
import sinks.BatchSink;
import sinks.InOrderChunks;
import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.KafkaEndpoint;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import sinks.DeadLetters;
import counters.PipelineCounters;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * The Kafka sink of a pipeline: sends a whole batch of change events (idempotent producer, acks=all) and returns only
 * when every record is acknowledged; any failed record fails the exchange, so the route's error handler retries the
 * whole batch and no offset moves meanwhile.
 * <p>
 * The producer is camel-kafka's — the endpoint URI's options, its client factory — but records go to it directly,
 * not as a Camel message each: the per-record message, header map and header filtering were a fifth of the sink's CPU
 * (docs/performance.md). Hand-written routes keep camel-kafka's producer ({@link KafkaRecords#messages}).
 * <p>
 * A record Kafka refuses for good (too large, an invalid topic name) goes to the pipeline's {@link DeadLetters} with
 * its cause and the batch goes on; any other failure fails the batch.
 * <p>
 * Batches may be delivered from two threads at once (a parallel snapshot does): the producer is thread-safe and each
 * call awaits the acknowledgements of its own records.
 */
public class KafkaSink extends BatchSink {

    private final CamelContext context;
    private final String endpointUri;
    private final KafkaRecords records;
    private volatile Producer<byte[], byte[]> producer;
    private Properties producerProps;
    private KafkaEndpoint endpoint;
    private String defaultTopic;
    private TopicReadiness topics;
    private final DeadLetters deadLetters;
    private int heartbeatIntervalMs;
    private java.util.Collection<String> knownTopics = List.of();
    private String name = "kafka";

    public KafkaSink(CamelContext context, String endpointUri, KafkaRecords records, PipelineCounters counters) {
        this(context, endpointUri, records, counters, null);
    }

    /** @param deadLetters where records Kafka refuses for good go (null: such a record fails the batch, as any error) */
    public KafkaSink(CamelContext context, String endpointUri, KafkaRecords records, PipelineCounters counters, DeadLetters deadLetters) {
        super(counters);
        this.context = context;
        this.endpointUri = endpointUri;
        this.records = records;
        this.deadLetters = deadLetters;
    }

    /**
     * The format's marker messages ({@link sinks.StreamMarkers}): heartbeats every {@code intervalMs} of silence (0: none)
     * to {@code knownTopics} and every topic written since.
     */
    public KafkaSink withMarkers(String name, int intervalMs, java.util.Collection<String> knownTopics) {
        this.name = name;
        this.heartbeatIntervalMs = intervalMs;
        this.knownTopics = List.copyOf(knownTopics);
        return this;
    }

    @Override
    @SuppressWarnings("unchecked")
    protected void doStart() {
        KafkaEndpoint endpoint = context.getEndpoint(endpointUri, KafkaEndpoint.class);
        Properties props = endpoint.getConfiguration().createProducerProperties();
        String brokers = endpoint.getKafkaClientFactory().getBrokers(endpoint.getConfiguration());
        if (brokers != null) {
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        }
        this.endpoint = endpoint;
        this.producerProps = props;
        producer = endpoint.getKafkaClientFactory().getProducer(props);
        defaultTopic = endpoint.getConfiguration().getTopic();
        topics = new TopicReadiness(props);
        if (deadLetters != null) {
            deadLetters.resendWith(this::resend);
        }
        if (sinks.StreamMarkers.wanted(records.format(), heartbeatIntervalMs)) {
            markers = new sinks.StreamMarkers(records.format(), table -> records.topicOf(table, defaultTopic), knownTopics,
                    (topic, key, value) -> {
                        topics.awaitReady(topic);
                        awaitAck(this.producer.send(new ProducerRecord<>(topic, key, value)));
                    });
            markers.startHeartbeats(name, heartbeatIntervalMs);
        }
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
        if (producer != null) {
            producer.close(Duration.ofSeconds(10));
            producer = null;
        }
        if (topics != null) {
            topics.close();
            topics = null;
        }
    }

    /**
     * A batch failed: the next attempt gets a new producer. An idempotent producer whose sequence numbers went out of
     * step with a partition (OUT_OF_ORDER_SEQUENCE_NUMBER after a leader change on a new topic) keeps retrying the
     * same batch until its delivery timeout, every time; a new producer starts with a new producer id and fresh
     * metadata. The records of the failed batch are sent again by the route's retry — at-least-once, as always.
     */
    private synchronized void renewProducer(Producer<byte[], byte[]> failed) {
        if (producer != failed) {
            return; // the other batch in flight renewed it already
        }
        producer = endpoint.getKafkaClientFactory().getProducer(producerProps);
        failed.close(Duration.ZERO);
    }

    @Override
    protected void deliver(List<ChangeEvent> events) throws Exception {
        Producer<byte[], byte[]> producer = this.producer;
        try {
            deliver(events, producer);
        } catch (Exception e) {
            renewProducer(producer);
            throw e;
        }
    }

    private void deliver(List<ChangeEvent> events, Producer<byte[], byte[]> producer) throws Exception {
        List<Future<RecordMetadata>> acks = new ArrayList<>(events.size());
        List<ProducerRecord<byte[], byte[]>> sent = new ArrayList<>(events.size());
        List<ChangeEvent> sentEvents = new ArrayList<>(events.size()); // an event may be several records
        // records are built (encoded) on every core, chunk by chunk, and sent in the batch's order as they are ready
        InOrderChunks.run(events, RECORDS_PER_CHUNK, chunk -> {
            List<ProducerRecord<byte[], byte[]>> built = new ArrayList<>(chunk.size());
            List<ChangeEvent> of = null; // each record's event: null while that is the chunk itself (one record per event)
            for (int i = 0; i < chunk.size(); i++) {
                ChangeEvent event = chunk.get(i);
                int parts = records.parts(event);
                if (parts != 1 && of == null) {
                    of = new ArrayList<>(chunk.subList(0, i));
                }
                for (int part = 0; part < parts; part++) {
                    built.add(records.record(event, part, defaultTopic));
                    if (of != null) {
                        of.add(event);
                    }
                }
            }
            return new Built(built, of == null ? chunk : of);
        }, built -> {
            for (int i = 0; i < built.records().size(); i++) {
                ProducerRecord<byte[], byte[]> record = built.records().get(i);
                topics.awaitReady(record.topic());
                Future<RecordMetadata> ack = producer.send(record);
                if (ack.isDone() && !refusedForGood(ack)) {
                    // refused at once (e.g. no metadata within maxBlockMs: Kafka away): fail the batch now — every
                    // further send would wait maxBlockMs again, a batch of 2,048 for hours
                    awaitAck(ack);
                }
                acks.add(ack);
                sent.add(record);
                sentEvents.add(built.events().get(i));
            }
        });
        // the batch is complete: its last, partly filled producer batches go now instead of after linger.ms
        // (with two snapshot batches in flight this also waits for the other's records sent so far; that is harmless)
        producer.flush();
        for (int i = 0; i < acks.size(); i++) {
            if (refusedForGood(acks.get(i))) {
                ProducerRecord<byte[], byte[]> r = sent.get(i);
                deadLetters.add(sentEvents.get(i), r.topic(), r.key(), r.value(), cause(acks.get(i)));
            } else {
                awaitAck(acks.get(i));
            }
        }
    }

    /** A chunk's records and the event of each (an event may be several records). */
    private record Built(List<ProducerRecord<byte[], byte[]>> records, List<ChangeEvent> events) {
    }

    /**
     * Whether Kafka refused a record for a reason no retry changes — the record itself (too large for the producer's
     * {@code max.request.size} or the broker's {@code message.max.bytes}, invalid) or its topic's name: such a record
     * goes to the dead letters and the batch goes on. Anything else (Kafka away, timeouts, leadership) fails the batch,
     * which is retried whole.
     */
    private boolean refusedForGood(Future<RecordMetadata> ack) {
        if (deadLetters == null || !ack.isDone()) {
            return false;
        }
        Throwable cause = cause(ack);
        return cause instanceof RecordTooLargeException || cause instanceof RecordBatchTooLargeException
                || cause instanceof InvalidRecordException || cause instanceof InvalidTopicException;
    }

    private static Throwable cause(Future<RecordMetadata> ack) {
        try {
            ack.get();
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e;
        }
    }

    /** A dead letter's message sent again as it was kept; returns when Kafka acknowledged it. */
    private void resend(DeadLetters.Letter letter) throws Exception {
        topics.awaitReady(letter.destination());
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(letter.destination(), letter.key(), letter.value());
        record.headers().add("tributary.id", letter.changeId().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        awaitAck(producer.send(record));
    }

    private static void awaitAck(Future<RecordMetadata> ack) throws Exception {
        try {
            ack.get();
        } catch (ExecutionException failed) {
            throw failed.getCause() instanceof Exception e ? e : failed;
        }
    }

    /** Records built per unit of parallel work: a default batch (2,048) is 8 units. */
    private static final int RECORDS_PER_CHUNK = 256;
}
