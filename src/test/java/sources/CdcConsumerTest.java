package sources;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The batch consumer behind {@code cdc:} on a real Debezium engine reading a file ({@link FileDebeziumComponent}): a
 * batch is one exchange, offsets are committed only after the route completed it, a failed batch stops the source
 * without committing, and a restart resumes at the last committed batch — nothing lost, nothing skipped.
 */
class CdcConsumerTest {

    @TempDir
    Path dir;

    @Test
    void batchesAreExchangesAndARestartResumesAfterTheLastCommittedOne() throws Exception {
        Path lines = write(1, 500);
        List<List<String>> batches = Collections.synchronizedList(new ArrayList<>());
        try (CamelContext camel = context(lines, exchange -> batches.add(values(exchange.getIn().getBody(List.class))))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> flat(batches).size() >= 500);
            assertEquals(range(1, 500), flat(batches), "every line once, in order");
            assertTrue(batches.size() > 1 && batches.stream().allMatch(b -> b.size() <= 100), "batches bounded by maxBatchSize: " + sizes(batches));
            await().atMost(Duration.ofSeconds(10)).until(() -> status(camel).recordsCommitted() == 500);
        }
        batches.clear();
        append(lines, 501, 700);
        try (CamelContext camel = context(lines, exchange -> batches.add(values(exchange.getIn().getBody(List.class))))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> flat(batches).size() >= 200);
            // a line delivered twice would arrive within this half second
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> flat(batches).size() == 200);
            assertEquals(range(501, 700), flat(batches), "the restart resumes after the last committed batch");
        }
    }

    @Test
    void aFailedBatchStopsTheSourceWithoutCommittingAndIsDeliveredAgainAfterARestart() throws Exception {
        Path lines = write(1, 300);
        List<String> delivered = Collections.synchronizedList(new ArrayList<>());
        try (CamelContext camel = context(lines, exchange -> {
            List<String> batch = values(exchange.getIn().getBody(List.class));
            if (batch.contains("line-150")) {
                throw new IllegalStateException("sink down");
            }
            delivered.addAll(batch);
        })) {
            await().atMost(Duration.ofSeconds(30)).until(() -> status(camel).state() == EngineStatus.State.FAILED);
            assertTrue(status(camel).error().contains("sink down"), status(camel).error());
            assertTrue(!delivered.contains("line-150") && delivered.size() < 300, "nothing after the failed batch");
            assertEquals(delivered.size(), status(camel).recordsCommitted(), "only what the route completed is committed");
        }
        List<String> before = new ArrayList<>(delivered);
        try (CamelContext camel = context(lines, exchange -> delivered.addAll(values(exchange.getIn().getBody(List.class))))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> delivered.size() >= 300);
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> delivered.size() == 300);
            assertEquals(range(1, 300), delivered, "the failed batch and the rest arrive once, in order, after the restart; before: " + before.size());
        }
    }

    @Test
    void overlappedBatchesArePreparedEarlyButDeliveredOneAtATimeInOrder() throws Exception {
        Path lines = write(1, 500);
        TurnTakingSink sink = new TurnTakingSink(null);
        try (CamelContext camel = context(lines, sink, true)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> sink.delivered.size() >= 500);
            await().atMost(Duration.ofSeconds(10)).until(() -> status(camel).recordsCommitted() == 500);
            assertEquals(range(1, 500), sink.delivered, "every line once, in order");
            assertTrue(sink.preparedDuringDelivery.get() > 0, "a batch was prepared while the one before it was being delivered");
            assertEquals(1, sink.mostAtOnce.get(), "one batch delivered at a time");
        }
    }

    @Test
    void aFailedOverlappedBatchStopsTheNextOneFromBeingDeliveredAndCommitsNothingAfterIt() throws Exception {
        Path lines = write(1, 500);
        TurnTakingSink failing = new TurnTakingSink("line-150");
        try (CamelContext camel = context(lines, failing, true)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> status(camel).state() == EngineStatus.State.FAILED);
            assertTrue(status(camel).error().contains("sink down"), status(camel).error());
            assertTrue(failing.preparedDuringDelivery.get() > 0, "the batch after the failed one was prepared meanwhile");
            assertEquals(range(1, failing.delivered.size()), failing.delivered, "nothing delivered after the failed batch");
            assertTrue(failing.delivered.size() < 150, "the failed batch not delivered: " + failing.delivered.size());
            assertEquals(failing.delivered.size(), status(camel).recordsCommitted(), "only what was delivered is committed");
        }
        TurnTakingSink sink = new TurnTakingSink(null);
        try (CamelContext camel = context(lines, sink, true)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> sink.delivered.size() >= 500 - failing.delivered.size());
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> sink.delivered.size() == 500 - failing.delivered.size());
            assertEquals(range(failing.delivered.size() + 1, 500), sink.delivered, "the restart delivers the rest once, in order");
        }
    }

    @Test
    void aStopWhileBatchesOverlapLeavesNoGapAndARestartGoesOnInOrder() throws Exception {
        Path lines = write(1, 1000);
        TurnTakingSink first = new TurnTakingSink(null);
        try (CamelContext camel = context(lines, first, true)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> first.delivered.size() >= 200);
        } // stopped while a batch is delivered and the next one waits prepared
        int committed = first.delivered.size(); // the stop waits for the batches inside: what was delivered is committed
        assertEquals(range(1, committed), first.delivered, "in order up to the stop");
        TurnTakingSink second = new TurnTakingSink(null);
        try (CamelContext camel = context(lines, second, true)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> second.delivered.size() >= 1000 - committed);
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> second.delivered.size() == 1000 - committed);
            assertEquals(range(committed + 1, 1000), second.delivered, "the restart goes on after the last delivered line, once, in order");
        }
    }

    /**
     * A sink taking its {@link sinks.DeliveryTurn} as Tributary's sinks do: prepares, lets the next batch in, waits for
     * the batch before, delivers (slowly, as a remote target would acknowledge).
     */
    private static final class TurnTakingSink implements org.apache.camel.Processor {
        final String failOn;
        final List<String> delivered = Collections.synchronizedList(new ArrayList<>());
        final java.util.concurrent.atomic.AtomicInteger delivering = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicInteger mostAtOnce = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicInteger preparedDuringDelivery = new java.util.concurrent.atomic.AtomicInteger();

        TurnTakingSink(String failOn) {
            this.failOn = failOn;
        }

        @Override
        public void process(org.apache.camel.Exchange exchange) throws Exception {
            List<String> batch = values(exchange.getIn().getBody(List.class));
            sinks.DeliveryTurn turn = exchange.getIn().getHeader(model.BatchHeaders.DELIVERY_TURN, sinks.DeliveryTurn.class);
            if (delivering.get() > 0) {
                preparedDuringDelivery.incrementAndGet();
            }
            turn.prepared();
            if (!turn.awaitPrevious()) {
                exchange.setRouteStop(true);
                return;
            }
            mostAtOnce.accumulateAndGet(delivering.incrementAndGet(), Math::max);
            try {
                Thread.sleep(100);
                if (failOn != null && batch.contains(failOn)) {
                    throw new IllegalStateException("sink down");
                }
                delivered.addAll(batch);
            } finally {
                delivering.decrementAndGet();
            }
            turn.delivered();
        }
    }

    private CamelContext context(Path lines, org.apache.camel.Processor route) throws Exception {
        return context(lines, route, false);
    }

    private CamelContext context(Path lines, org.apache.camel.Processor route, boolean overlap) throws Exception {
        CamelContext camel = new DefaultCamelContext();
        camel.addComponent("debezium-file", new FileDebeziumComponent());
        String uri = "cdc:debezium-file:lines?file=" + lines + "&offsetStorage=" + AtomicFileOffsetStore.class.getName()
                + "&offsetStorageFileName=" + dir.resolve("offsets.dat") + "&offsetCommitPolicy=" + CommitEveryBatch.class.getName()
                + "&maxBatchSize=100&pollIntervalMs=50" + (overlap ? "&overlapBatches=true" : "");
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("lines").process(route);
            }
        });
        camel.start();
        return camel;
    }

    private static EngineStatus status(CamelContext camel) {
        return ((SourceConsumer) camel.getRoute("lines").getConsumer()).status();
    }

    private static List<String> values(List<?> records) {
        return records.stream().map(r -> String.valueOf(((SourceRecord) r).value())).toList();
    }

    private Path write(int from, int to) throws Exception {
        Path file = dir.resolve("lines.txt");
        Files.write(file, range(from, to));
        return file;
    }

    private static void append(Path file, int from, int to) throws Exception {
        Files.write(file, range(from, to), StandardOpenOption.APPEND);
    }

    private static List<String> range(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> "line-" + i).toList();
    }

    private static List<String> flat(List<List<String>> batches) {
        synchronized (batches) {
            return batches.stream().flatMap(List::stream).toList();
        }
    }

    private static List<Integer> sizes(List<List<String>> batches) {
        return batches.stream().map(List::size).toList();
    }
}
