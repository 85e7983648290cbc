package sinks;

import counters.PipelineCounters;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import model.ChangeEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pipeline's dead letters for the message sinks (Kafka; the JDBC sink keeps its own in the target database): changes
 * the destination refused for good — a record above the producer's or broker's size limit, a topic name the broker
 * rejects — kept with the cause, the change's coordinates (table, operation, change id, source position) and the
 * message exactly as it was to be sent, so the pipeline goes on and nothing is dropped. One JSON line each in
 * {@code <data>/<pipeline>/dead-letters.jsonl}, written (to the OS) before the batch's offsets are committed.
 * <p>
 * {@link #replay} sends them again through the running sink (after the operator fixed the cause, e.g. raised
 * {@code max.request.size}) and keeps only those that fail again. A replayed change arrives after the key's later
 * changes: a destination that keeps the last value per key should replay only changes whose key did not change since.
 */
public final class DeadLetters {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One dead letter: where the message was going, what it was, and why it was refused. */
    public record Letter(Instant at, String table, String op, String changeId, String position, String destination,
                         String cause, byte[] key, byte[] value) {
    }

    /** Sends a dead letter's message again; throws when the destination refuses it. */
    public interface Resender {
        void resend(Letter letter) throws Exception;
    }

    private final Path file;
    private final PipelineCounters counters;
    private volatile Resender resender;
    /** changeId + destination of every letter kept (loaded on first use): a batch written again keeps no second copy. */
    private java.util.Set<String> kept;

    public DeadLetters(Path file, PipelineCounters counters) {
        this.file = file;
        this.counters = counters;
    }

    /** The running sink sends replays (null when it stops). */
    public void resendWith(Resender resender) {
        this.resender = resender;
    }

    /** Keeps a refused message; counted in {@code events.deadLettered}. */
    public synchronized void add(ChangeEvent event, String destination, byte[] key, byte[] value, Throwable cause) {
        Letter letter = new Letter(Instant.now(), event.table().qualifiedName(), event.op().code(), event.id(),
                event.position().position(), destination, cause.getClass().getSimpleName() + ": " + cause.getMessage(), key, value);
        keep(letter);
    }

    private void keep(Letter letter) {
        if (kept == null) {
            kept = new java.util.HashSet<>();
            all().forEach(l -> kept.add(identity(l)));
        }
        if (!kept.add(identity(letter))) {
            // the batch is written again after a crash or a failed batch between this letter and the offsets' commit
            LOG.debug("dead letter of change {} to {} is kept already", letter.changeId(), letter.destination());
            return;
        }
        try {
            // written straight to bytes, the message as Base64 on the fly: a 50 MB message is not copied as text 4 times
            com.fasterxml.jackson.core.util.ByteArrayBuilder out = new com.fasterxml.jackson.core.util.ByteArrayBuilder();
            JSON.writeValue(out, toJson(letter));
            out.write('\n');
            byte[] line = out.toByteArray();
            state.SharedState.mirrorAppend(Map.of(file, line)); // cluster mode: the state database first
            Files.createDirectories(file.getParent());
            Files.write(file, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep a dead letter in " + file, e);
        }
        counters.deadLettered.incrementAndGet();
        faults.FaultPoints.reached(faults.FaultPoints.DEAD_LETTER_WRITTEN);
        if (SOURCE.equals(letter.destination())) {
            LOG.warn("dead letter: message {} could not be read: {}", letter.position(), letter.cause());
        } else {
            LOG.warn("dead letter: {} change {} of {} refused by {}: {}", letter.op(), letter.changeId(), letter.table(), letter.destination(), letter.cause());
        }
    }

    /** The destination of letters a queue source could not read: they are not sent anywhere on replay. */
    public static final String SOURCE = "source";

    /**
     * Keeps a message a queue source could not read as a change, with its coordinates ({@code topic:queue:offset}) and
     * the reason; the source goes on with the next message.
     */
    public synchronized void addUnreadable(String coordinates, String format, String reason, byte[] key, byte[] value) {
        keep(new Letter(Instant.now(), null, null, coordinates, coordinates, SOURCE, "not a " + format + " message: " + reason, key, value));
    }

    private static String identity(Letter l) {
        return l.changeId() + "\u0000" + l.destination();
    }

    /** Every dead letter kept, in order. */
    public synchronized List<Letter> all() {
        List<Letter> letters = new ArrayList<>();
        if (!Files.exists(file)) {
            return letters;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    letters.add(fromJson(JSON.readTree(line)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return letters;
    }

    /** The dead letters as the REST API shows them: coordinates, cause and sizes, not the messages. */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> summary() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Letter l : all()) {
            ObjectNode n = toJson(l);
            n.remove("key");
            n.remove("value");
            n.put("keyBytes", l.key() == null ? 0 : l.key().length);
            n.put("valueBytes", l.value() == null ? 0 : l.value().length);
            out.add(JSON.convertValue(n, LinkedHashMap.class));
        }
        return out;
    }

    /**
     * Sends every dead letter again through the running sink; the ones it refuses again stay.
     *
     * @return {replayed, remaining}
     * @throws IllegalStateException when the pipeline's sink is not running
     */
    public synchronized Map<String, Object> replay() {
        Resender r = resender;
        if (r == null) {
            throw new IllegalStateException("the pipeline is not running: start it to replay its dead letters");
        }
        List<Letter> remaining = new ArrayList<>();
        int replayed = 0;
        List<String> causes = new ArrayList<>();
        for (Letter l : all()) {
            if (SOURCE.equals(l.destination())) {
                remaining.add(l); // not a change: it stays until the operator produces a corrected message
                continue;
            }
            try {
                r.resend(l);
                replayed++;
            } catch (Exception e) {
                remaining.add(l);
                causes.add(e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
        try {
            com.fasterxml.jackson.core.util.ByteArrayBuilder lines = new com.fasterxml.jackson.core.util.ByteArrayBuilder();
            for (Letter l : remaining) {
                lines.write(JSON.writeValueAsBytes(toJson(l)));
                lines.write('\n');
            }
            state.AtomicFiles.write(file, lines.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        kept = null; // replayed letters may be refused and kept again
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("replayed", replayed);
        result.put("remaining", remaining.size());
        result.put("errors", causes.stream().distinct().limit(10).toList());
        return result;
    }

    private static ObjectNode toJson(Letter l) {
        ObjectNode n = JSON.createObjectNode();
        n.put("at", l.at().toString());
        n.put("table", l.table());
        n.put("op", l.op());
        n.put("changeId", l.changeId());
        n.put("position", l.position());
        n.put("destination", l.destination());
        n.put("cause", l.cause());
        n.put("key", l.key()); // Base64 (Jackson's default, as java.util.Base64's) when written
        n.put("value", l.value());
        return n;
    }

    private static Letter fromJson(JsonNode n) {
        return new Letter(Instant.parse(n.get("at").asText()), n.path("table").asText(null), n.path("op").asText(null), n.get("changeId").asText(),
                n.path("position").asText(null), n.get("destination").asText(), n.get("cause").asText(),
                n.hasNonNull("key") ? Base64.getDecoder().decode(n.get("key").asText()) : null,
                n.hasNonNull("value") ? Base64.getDecoder().decode(n.get("value").asText()) : null);
    }
}
