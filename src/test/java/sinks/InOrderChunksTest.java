package sinks;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InOrderChunksTest {

    static final List<Integer> ITEMS = IntStream.range(0, 10_000).boxed().toList();

    @Test
    void chunksAreHandedOnInSourceOrderWhateverThreadEncodedThem() throws Exception {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        List<Integer> out = new ArrayList<>();
        InOrderChunks.run(ITEMS, 100, chunk -> {
            threads.add(Thread.currentThread().getName());
            if (chunk.get(0) % 700 == 0) {
                Thread.sleep(5); // some chunks take longer: later ones finish first
            }
            return List.copyOf(chunk);
        }, out::addAll);
        assertEquals(ITEMS, out);
        assertTrue(threads.contains(Thread.currentThread().getName()), "the calling thread encodes too: " + threads);
    }

    @Test
    void aSmallBatchIsOneChunkOnTheCallingThread() throws Exception {
        List<List<Integer>> out = new ArrayList<>();
        String caller = Thread.currentThread().getName();
        InOrderChunks.run(List.of(1, 2, 3), 256, chunk -> {
            assertEquals(caller, Thread.currentThread().getName(), "no pool for one chunk");
            return chunk;
        }, out::add);
        assertEquals(List.of(List.of(1, 2, 3)), out);
        InOrderChunks.run(List.<Integer>of(), 256, chunk -> {
            throw new AssertionError("nothing to encode");
        }, c -> {
            throw new AssertionError("nothing to hand on");
        });
    }

    @Test
    void anEncodingFailureFailsTheBatchAfterTheChunksBeforeIt() {
        List<Integer> out = Collections.synchronizedList(new ArrayList<>());
        IllegalStateException bad = new IllegalStateException("row 5,000 cannot be encoded");
        Exception thrown = assertThrows(IllegalStateException.class, () -> InOrderChunks.run(ITEMS, 100, chunk -> {
            if (chunk.contains(5_000)) {
                throw bad;
            }
            return chunk;
        }, out::addAll));
        assertSame(bad, thrown);
        assertEquals(ITEMS.subList(0, 5_000), out, "what was handed on is exactly the chunks before the failed one");
    }

    @Test
    void aConsumerFailureStopsTheBatch() {
        List<Integer> out = new ArrayList<>();
        Exception thrown = assertThrows(java.io.IOException.class, () -> InOrderChunks.run(ITEMS, 100, chunk -> chunk, chunk -> {
            if (chunk.contains(300)) {
                throw new java.io.IOException("sink refused");
            }
            out.addAll(chunk);
        }));
        assertEquals("sink refused", thrown.getMessage());
        assertEquals(ITEMS.subList(0, 300), out);
    }
}
