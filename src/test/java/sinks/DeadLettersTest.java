package sinks;

import counters.PipelineCounters;
import model.ChangeEvent;
import model.Op;
import model.SourcePosition;
import model.TableId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dead-letter file: one JSON line per letter, key and value in standard Base64, read back byte for byte. */
class DeadLettersTest {

    @Test
    void aLetterIsOneLineWithItsBytesInBase64AndReadsBackTheSame(@TempDir Path dir) throws Exception {
        DeadLetters letters = new DeadLetters(dir.resolve("dead-letters.jsonl"), new PipelineCounters());
        byte[] value = new byte[100_003];
        new Random(21).nextBytes(value);
        byte[] key = "{\"id\":1}".getBytes(StandardCharsets.UTF_8);
        ChangeEvent event = ChangeEvent.row("p", Op.CREATE, new TableId("db", "public", "t"), null, Map.of("id", 1), List.of("id"),
                Map.of("id", "INT4"), new SourcePosition("postgresql", "42", "7", 1, Instant.EPOCH, false));
        letters.add(event, "topic.t", key, value, new IllegalArgumentException("too big"));
        letters.add(event, "topic.t", key, value, new IllegalArgumentException("too big")); // the same letter again: kept once

        List<String> lines = Files.readAllLines(dir.resolve("dead-letters.jsonl"));
        assertEquals(1, lines.size());
        assertTrue(lines.get(0).contains("\"value\":\"" + Base64.getEncoder().encodeToString(value) + "\""), "standard Base64, no line breaks");
        DeadLetters.Letter back = letters.all().get(0);
        assertArrayEquals(value, back.value());
        assertArrayEquals(key, back.key());
        assertEquals("IllegalArgumentException: too big", back.cause());
        assertEquals(100_003, letters.summary().get(0).get("valueBytes"));
    }
}
