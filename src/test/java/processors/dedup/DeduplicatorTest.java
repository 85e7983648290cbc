package processors.dedup;

import counters.BatchTally;
import model.ChangeEvent;
import model.Op;
import model.SourcePosition;
import model.TableId;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import counters.PipelineCounters;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeduplicatorTest {

    static ChangeEvent change(int id, String lsn) {
        return ChangeEvent.row("p", Op.CREATE, new TableId("db", "public", "t"), null, Map.of("id", id), List.of("id"),
                Map.of("id", "INT4"), new SourcePosition("postgresql", lsn, "1", 1, Instant.EPOCH, false));
    }

    static List<ChangeEvent> run(Deduplicator d, boolean delivered, ChangeEvent... events) throws Exception {
        return run(d, new PipelineCounters(), delivered, events);
    }

    /** The batch through the steps; what they tallied on the exchange is added to {@code counters}, as a pipeline does. */
    @SuppressWarnings("unchecked")
    static List<ChangeEvent> run(Deduplicator d, PipelineCounters counters, boolean delivered, ChangeEvent... events) throws Exception {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getIn().setBody(List.of(events));
        d.dropSeen().process(exchange);
        BatchTally.of(exchange).addTo(counters);
        List<ChangeEvent> passed = exchange.getIn().getBody(List.class);
        if (delivered) {
            d.rememberDelivered().process(exchange);
        }
        return passed;
    }

    @Test
    void onlyDeliveredChangesAreRememberedAndRedeliveriesAreDropped() throws Exception {
        PipelineCounters counters = new PipelineCounters();
        Deduplicator d = new Deduplicator(new MemoryIdRepository(600_000));
        assertEquals(2, run(d, counters, false, change(1, "10"), change(2, "11")).size());
        assertEquals(2, run(d, counters, true, change(1, "10"), change(2, "11")).size(), "a failed batch remembered nothing: all of it again");
        assertEquals(List.of(change(3, "12")), run(d, counters, true, change(1, "10"), change(2, "11"), change(3, "12")),
                "what the source re-delivers is dropped, the new change passes");
        assertEquals(List.of(change(1, "13")), run(d, counters, true, change(1, "13")), "the same row changed again is a new change");
        assertEquals(2, counters.eventsDeduplicated.get());
    }

    @Test
    void idsTheSinkHoldsFromTheLastRunAreRecordedBeforeTheFirstBatch() throws Exception {
        MemoryIdRepository repository = new MemoryIdRepository(600_000);
        repository.addAll(List.of(change(1, "10").id())); // recorded by the last run
        java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
        Deduplicator d = new Deduplicator(repository, () -> {
            reads.incrementAndGet();
            return java.util.Set.of(change(1, "10").id(), change(2, "11").id()); // on the topic; 2 was never recorded
        });
        assertEquals(List.of(change(3, "12")), run(d, true, change(1, "10"), change(2, "11"), change(3, "12")));
        run(d, true, change(4, "13"));
        assertEquals(1, reads.get(), "read once, before the first batch");
    }

    @Test
    void idsExpireAfterTheWindowAndLongIdsAreHashed() throws Exception {
        Deduplicator d = new Deduplicator(new MemoryIdRepository(1));
        run(d, true, change(1, "10"));
        Thread.sleep(20);
        d.repository().expire();
        assertEquals(1, run(d, true, change(1, "10")).size(), "forgotten after the window");
        String longId = "x".repeat(300);
        assertTrue(IdRepository.stored(longId).startsWith("sha256:"));
        assertEquals(71, IdRepository.stored(longId).length());
        assertEquals("short", IdRepository.stored("short"));
    }
}
