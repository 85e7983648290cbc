package sources;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Batches end where a transaction ends; an open transaction's records wait for the batch in which it ends. */
class WholeTransactionsTest {

    static final Schema MARKER = SchemaBuilder.struct().field("status", Schema.STRING_SCHEMA).field("id", Schema.STRING_SCHEMA).build();

    static SourceRecord marker(String status, String tx) {
        return new SourceRecord(Map.of(), Map.of(), "p.transaction", MARKER, new Struct(MARKER).put("status", status).put("id", tx));
    }

    static SourceRecord row(String name) {
        return new SourceRecord(Map.of(), Map.of(), "p.public.t", Schema.STRING_SCHEMA, name);
    }

    static List<Object> names(List<SourceRecord> events) {
        List<Object> names = new ArrayList<>();
        events.forEach(e -> names.add(e.value() instanceof Struct s ? s.getString("status") + " " + s.getString("id") : e.value()));
        return names;
    }

    @Test
    void aTransactionLargerThanTheEnginesBatchGoesWholeIntoOneBatch() {
        WholeTransactions whole = new WholeTransactions("p");
        assertEquals(List.of("snapshot 1", "snapshot 2"), names(whole.take(List.of(row("snapshot 1"), row("snapshot 2")))),
                "rows outside a transaction end a batch where they stand");
        assertEquals(List.of("BEGIN a", "a1", "END a"), names(whole.take(List.of(marker("BEGIN", "a"), row("a1"), marker("END", "a"),
                marker("BEGIN", "b"), row("b1")))));
        assertEquals(1 + 1, whole.holding(), "b's BEGIN and first row wait");
        assertEquals(List.of(), names(whole.take(List.of(row("b2"), row("b3")))), "b is still open: nothing to deliver");
        assertEquals(List.of("BEGIN b", "b1", "b2", "b3", "b4", "END b"), names(whole.take(List.of(row("b4"), marker("END", "b"),
                marker("BEGIN", "c")))));
        assertEquals(1, whole.holding());
        whole.reset();
        assertEquals(0, whole.holding(), "an engine started again reads them again");
    }
}
