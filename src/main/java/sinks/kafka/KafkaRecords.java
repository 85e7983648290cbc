package sinks.kafka;

import formats.ChangeEventFormat;
import formats.RepeatedPart;
import model.ChangeEvent;
import processors.ShardKeys;
import model.TableId;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultMessage;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * Turns a batch of change events (body {@code List<ChangeEvent>}) into the body camel-kafka sends as one batch:
 * an {@code Iterable<Message>}, each with the formatted event as body, its shard key ({@link ShardKeys}: the sharding
 * columns or primary key as JSON) as record key — so all changes of a row land on one partition, in order — and, when
 * a topic mapping is given, its topic.
 * <p>
 * The messages are built while camel-kafka iterates, so the producer already ships the first records while later ones
 * are still being encoded; and every iteration builds them anew, so a redelivery sends them whole again (camel-kafka
 * removes the per-message topic header as it sends).
 */
public class KafkaRecords implements Processor {

    /** Kafka header with the change's id ({@code ChangeEvent.id()}): consumers may dedup by it; dedup recovery reads it. */
    public static final String ID_HEADER = "tributary.id";
    /** Kafka header with the pipeline that wrote the record. */
    public static final String PIPELINE_HEADER = "tributary.pipeline";

    private final ChangeEventFormat format;
    private final Function<TableId, String> topics;
    private final ShardKeys keys;

    /** The id header's part before the key values: every row of a snapshot's table shares it. */
    private final RepeatedPart<byte[]> snapshotIdPrefix = new RepeatedPart<>(
            (a, b) -> a.position().equals(b.position()) && a.table().equals(b.table()), e -> e.idPrefix().getBytes(StandardCharsets.UTF_8));
    /** The pipeline header's bytes: one pipeline per sink. */
    private volatile PipelineBytes lastPipeline;

    private record PipelineBytes(String pipeline, byte[] bytes) {
    }

    /** Every event to the topic of the {@code kafka:} endpoint that follows, keyed by its primary key. */
    public KafkaRecords(ChangeEventFormat format) {
        this(format, null, ShardKeys.byPrimaryKey());
    }

    public KafkaRecords(ChangeEventFormat format, Function<TableId, String> topics, ShardKeys keys) {
        this.format = format;
        this.topics = topics;
        this.keys = keys;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        @SuppressWarnings("unchecked")
        List<ChangeEvent> events = exchange.getIn().getMandatoryBody(List.class);
        exchange.getIn().setBody(messages(exchange.getContext(), events));
    }

    public Iterable<Message> messages(CamelContext context, List<ChangeEvent> events) {
        return () -> new Iterator<>() {
            private int next;
            private int part;

            @Override
            public boolean hasNext() {
                return next < events.size();
            }

            @Override
            public Message next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                ChangeEvent event = events.get(next);
                Message m = message(context, event, part);
                if (++part == format.parts(event)) {
                    part = 0;
                    next++;
                }
                return m;
            }
        };
    }

    /**
     * The record of one change for a plain Kafka producer (what {@link KafkaSink} sends): value, key, topic and headers
     * as {@link #messages} gives them to camel-kafka, without a Camel message per record.
     */
    public ProducerRecord<byte[], byte[]> record(ChangeEvent event, String defaultTopic) {
        return record(event, 0, defaultTopic);
    }

    /** The format the records are written in. */
    public ChangeEventFormat format() {
        return format;
    }

    /** The topic of a table's records. */
    public String topicOf(TableId table, String defaultTopic) {
        return topics == null ? defaultTopic : topics.apply(table);
    }

    /** How many records the event becomes (DataWorks: an update is two, with one key: they stay in order). */
    public int parts(ChangeEvent event) {
        return format.parts(event);
    }

    /** Record {@code part} of the event ({@link #parts}). */
    public ProducerRecord<byte[], byte[]> record(ChangeEvent event, int part, String defaultTopic) {
        Header[] headers = {new RecordHeader(ID_HEADER, idBytes(event)), new RecordHeader(PIPELINE_HEADER, pipelineBytes(event.pipeline()))};
        return new ProducerRecord<>(topics == null ? defaultTopic : topics.apply(event.table()), null, keys.bytes(event),
                format.encode(event, part), new RecordHeaders(headers));
    }

    /** {@link ChangeEvent#id()} in UTF-8 (the values of the header: read-only, so one array may serve many records). */
    byte[] idBytes(ChangeEvent event) {
        byte[] prefix = snapshotIdPrefix.of(event);
        if (prefix == null) {
            return event.id().getBytes(StandardCharsets.UTF_8);
        }
        byte[] key = event.idKey().getBytes(StandardCharsets.UTF_8);
        byte[] id = Arrays.copyOf(prefix, prefix.length + key.length);
        System.arraycopy(key, 0, id, prefix.length, key.length);
        return id;
    }

    private byte[] pipelineBytes(String pipeline) {
        PipelineBytes last = lastPipeline;
        if (last == null || !last.pipeline().equals(pipeline)) {
            last = new PipelineBytes(pipeline, pipeline.getBytes(StandardCharsets.UTF_8));
            lastPipeline = last;
        }
        return last.bytes();
    }

    private Message message(CamelContext context, ChangeEvent event, int part) {
        DefaultMessage m = new DefaultMessage(context);
        m.setBody(format.encode(event, part));
        m.setHeader(KafkaConstants.KEY, keys.bytes(event));
        m.setHeader(ID_HEADER, event.id());
        m.setHeader(PIPELINE_HEADER, event.pipeline());
        if (topics != null) {
            m.setHeader(KafkaConstants.OVERRIDE_TOPIC, topics.apply(event.table()));
        }
        return m;
    }
}
