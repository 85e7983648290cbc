package sources;

import model.ChangeEvent;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchesInFlightTest {

    @Test
    void twoSlotsDeliverTwoBatchesAtOnceAndNeverThree() throws Exception {
        AtomicInteger now = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CountDownLatch firstTwoMeet = new CountDownLatch(2);
        List<List<ChangeEvent>> delivered = Collections.synchronizedList(new ArrayList<>());
        try (BatchesInFlight b = new BatchesInFlight((events, last) -> {
            most.accumulateAndGet(now.incrementAndGet(), Math::max);
            firstTwoMeet.countDown();
            firstTwoMeet.await(5, TimeUnit.SECONDS); // returns at once only if two batches are in flight together
            Thread.sleep(5);
            delivered.add(events);
            now.decrementAndGet();
        }, 2, new AtomicReference<>(), "test-deliver-")) {
            for (int i = 0; i < 10; i++) {
                b.deliver(new ArrayList<>());
            }
            b.awaitAll();
            assertEquals(10, delivered.size(), "awaitAll returns when every batch is delivered");
        }
        assertEquals(0, firstTwoMeet.getCount());
        assertEquals(2, most.get());
    }

    @Test
    void oneSlotDeliversOnTheCallingThread() throws Exception {
        List<Thread> threads = new ArrayList<>();
        try (BatchesInFlight b = new BatchesInFlight((events, last) -> threads.add(Thread.currentThread()), 1,
                new AtomicReference<>(), "test-deliver-")) {
            b.deliver(List.of());
            b.deliver(List.of());
            b.awaitAll();
        }
        assertEquals(List.of(Thread.currentThread(), Thread.currentThread()), threads);
    }

    @Test
    void aFailedBatchStopsTheHandOnAndIsThrown() throws Exception {
        IllegalStateException broken = new IllegalStateException("sink down");
        AtomicInteger calls = new AtomicInteger();
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (BatchesInFlight b = new BatchesInFlight((events, last) -> {
            if (calls.incrementAndGet() == 1) {
                throw broken;
            }
        }, 2, failure, "test-deliver-")) {
            b.deliver(List.of());
            Exception thrown = assertThrows(Exception.class, () -> {
                for (int i = 0; i < 100; i++) {
                    b.deliver(List.of());
                    Thread.sleep(10);
                }
            });
            assertSame(broken, thrown);
            assertSame(broken, assertThrows(Exception.class, b::awaitAll));
        }
        assertSame(broken, failure.get());
        assertTrue(calls.get() < 100, "no batch is handed on once the failure is seen: " + calls.get() + " deliveries");
    }
}
