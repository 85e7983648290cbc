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
 * <p>
 * Cluster mode (docs/cluster.md, "Fencing"): the producer is transactional, its id the pipeline's, and each batch is
 * one transaction. The next owner's producer, started with the same id, fences this one at the broker: records a
 * paused old owner still had buffered are refused, not appended after the new owner's, and its open transaction is
 * aborted. Batches then go one at a time.
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
    /** Cluster mode: each batch (and marker, and resent dead letter) is a transaction of this producer; false: plain sends. */
    private volatile boolean transactional;
    private final Object transactions = new Object();

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
        String fencingId = fencingId();
        transactional = fencingId != null;
        if (transactional) {
            props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, fencingId);
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        }
        org.slf4j.LoggerFactory.getLogger(KafkaSink.class).info("{}: Kafka producer {}", name,
                transactional ? "transactional as '" + fencingId + "' (cluster fencing)" : "idempotent");
        this.endpoint = endpoint;
        this.producerProps = props;
        producer = newProducer();
        defaultTopic = endpoint.getConfiguration().getTopic();
        topics = new TopicReadiness(props);
        if (deadLetters != null) {
            deadLetters.resendWith(this::resend);
        }
        if (sinks.StreamMarkers.wanted(records.format(), heartbeatIntervalMs)) {
            markers = new sinks.StreamMarkers(records.format(), table -> records.topicOf(table, defaultTopic), knownTopics,
                    (topic, key, value) -> {
                        topics.awaitReady(topic);
                        inTransaction(p -> awaitAck(p.send(new ProducerRecord<>(topic, key, value))));
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
        failed.close(Duration.ZERO);
        producer = newProducer();
    }

    /** A producer; a transactional one is initialised, which fences every earlier producer of the pipeline's id. */
    private Producer<byte[], byte[]> newProducer() {
        Producer<byte[], byte[]> p = endpoint.getKafkaClientFactory().getProducer(producerProps);
        if (transactional) {
            p.initTransactions();
        }
        return p;
    }

    private interface Sends {
        void run(Producer<byte[], byte[]> producer) throws Exception;
    }

    /** Cluster mode: {@code sends} as one transaction, one at a time; else the sends as they are. */
    private void inTransaction(Sends sends) throws Exception {
        if (!transactional) {
            sends.run(producer);
            return;
        }
        synchronized (transactions) {
            Producer<byte[], byte[]> p = producer;
            p.beginTransaction();
            try {
                sends.run(p);
                p.commitTransaction();
            } catch (Exception e) {
                abort(p);
                throw e;
            }
        }
    }

    private static void abort(Producer<byte[], byte[]> p) {
        try {
            p.abortTransaction();
        } catch (RuntimeException fencedOrBroken) {
            // a fenced producer cannot abort; the broker aborts its transaction when the next owner starts
        }
    }

    @Override
    protected void deliver(List<ChangeEvent> events) throws Exception {
        deliver(events, (Object) null);
    }

    /** The batch's records, built (on every core) while the batch before it awaits its acknowledgements. */
    @Override
    protected Object prepare(List<ChangeEvent> events) throws Exception {
        List<Built> all = new ArrayList<>();
        InOrderChunks.run(events, RECORDS_PER_CHUNK, this::build, all::add);
        return all;
    }

    @Override
    @SuppressWarnings("unchecked")
    protected void deliver(List<ChangeEvent> events, Object prepared) throws Exception {
        List<Built> built = (List<Built>) prepared;
        Producer<byte[], byte[]> producer = this.producer;
        try {
            if (transactional) {
                deliverInTransactions(events, built);
            } else {
                for (Refused r : deliver(events, built, producer)) {
                    deadLetters.add(r.event(), r.record().topic(), r.record().key(), r.record().value(), r.cause());
                }
            }
        } catch (Exception e) {
            renewProducer(producer);
            throw e;
        }
    }

    /**
     * The batch as one transaction. A record refused for good makes the whole transaction fail at commit: it is
     * aborted, the refused records go to the dead letters, and the rest of the batch is sent again in a new one.
     */
    private void deliverInTransactions(List<ChangeEvent> events, List<Built> built) throws Exception {
        synchronized (transactions) {
            List<ChangeEvent> remaining = events;
            List<Built> prebuilt = built;
            for (int attempt = 1; ; attempt++) {
                Producer<byte[], byte[]> p = producer;
                p.beginTransaction();
                List<Refused> refused;
                try {
                    refused = deliver(remaining, prebuilt, p);
                    prebuilt = null; // a second attempt sends fewer changes: built again
                    if (refused.isEmpty()) {
                        p.commitTransaction();
                        return;
                    }
                } catch (Exception e) {
                    abort(p);
                    throw e;
                }
                abort(p);
                if (attempt > 10) {
                    throw new IllegalStateException("records refused in 10 transactions in a row: " + refused.get(0).cause());
                }
                java.util.Set<ChangeEvent> out = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
                for (Refused r : refused) {
                    deadLetters.add(r.event(), r.record().topic(), r.record().key(), r.record().value(), r.cause());
                    out.add(r.event());
                }
                remaining = remaining.stream().filter(e -> !out.contains(e)).toList();
                if (remaining.isEmpty()) {
                    return;
                }
            }
        }
    }

    /** A record Kafka refused for good, the change it carries and why. */
    private record Refused(ChangeEvent event, ProducerRecord<byte[], byte[]> record, Throwable cause) {
    }

    /**
     * Sends the batch and awaits every acknowledgement; the records refused for good (only with dead letters).
     * {@code prebuilt}: the batch's records, or null — then they are built (encoded) on every core, chunk by chunk, and
     * sent in the batch's order as they are ready.
     */
    private List<Refused> deliver(List<ChangeEvent> events, List<Built> prebuilt, Producer<byte[], byte[]> producer) throws Exception {
        List<Future<RecordMetadata>> acks = new ArrayList<>(events.size());
        List<ProducerRecord<byte[], byte[]>> sent = new ArrayList<>(events.size());
        List<ChangeEvent> sentEvents = new ArrayList<>(events.size()); // an event may be several records
        InOrderChunks.Consumer<Built> send = built -> {
            for (int i = 0; i < built.records().size(); i++) {
                ProducerRecord<byte[], byte[]> record = built.records().get(i);
                if (transactional && !acks.isEmpty() && refusedForGood(acks.get(acks.size() - 1))) {
                    return; // the transaction fails at commit anyway: the rest of the batch goes in the next one
                }
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
        };
        if (prebuilt == null) {
            InOrderChunks.run(events, RECORDS_PER_CHUNK, this::build, send);
        } else {
            for (Built built : prebuilt) {
                send.accept(built);
            }
        }
        // the batch is complete: its last, partly filled producer batches go now instead of after linger.ms
        // (with two snapshot batches in flight this also waits for the other's records sent so far; that is harmless)
        producer.flush();
        List<Refused> refused = new ArrayList<>();
        for (int i = 0; i < acks.size(); i++) {
            if (refusedForGood(acks.get(i))) {
                refused.add(new Refused(sentEvents.get(i), sent.get(i), cause(acks.get(i))));
            } else if (refused.isEmpty() || !transactional) {
                awaitAck(acks.get(i)); // in a transaction that already failed, later records fail with it: not their own cause
            }
        }
        return refused;
    }

    /** A chunk of the batch as records. */
    private Built build(List<ChangeEvent> chunk) {
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
        inTransaction(p -> awaitAck(p.send(record)));
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
