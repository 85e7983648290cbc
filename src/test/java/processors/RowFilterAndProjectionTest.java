package processors;

import config.PipelineSpec.ObjectSpec;
import config.PipelineSpec.Rename;
import model.ChangeEvent;
import model.Op;
import model.SourcePosition;
import model.TableId;
import org.junit.jupiter.api.Test;
import counters.PipelineCounters;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RowFilterAndProjectionTest {

    static final TableId ORDERS = new TableId("shop", "public", "orders");
    static final Map<String, String> COLUMNS = columns();
    static final SourcePosition POS = new SourcePosition("postgresql", "100", "7", 1, Instant.EPOCH, false);

    static Map<String, String> columns() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("id", "INT4");
        c.put("status", "TEXT");
        c.put("amount", "NUMERIC(10,2)");
        c.put("note", "TEXT");
        return c;
    }

    static Map<String, Object> row(int id, String status, int amount) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", id);
        r.put("status", status);
        r.put("amount", amount);
        r.put("note", "n" + id);
        return r;
    }

    static ChangeEvent change(Op op, Map<String, Object> before, Map<String, Object> after) {
        return ChangeEvent.row("p", op, ORDERS, before, after, List.of("id"), COLUMNS, POS);
    }

    static ObjectSelector selector(String where, List<String> keep, Rename rename) {
        return new ObjectSelector(List.of(new ObjectSpec("public", "orders", "orders", List.of("status"), null, null, null, where, keep, rename)));
    }

    final RowFilter filter = new RowFilter(selector("status <> 'draft' AND amount > 10", List.of(), null));

    @Test
    void insertsAndDeletesAreJudgedOnTheirRow() {
        ChangeEvent in = change(Op.CREATE, null, row(1, "paid", 20));
        assertSame(in, filter.filter(in));
        assertNull(filter.filter(change(Op.READ, null, row(2, "draft", 20))));
        assertNull(filter.filter(change(Op.DELETE, row(3, "paid", 5), null)), "judged on the old row");
        ChangeEvent keyOnly = change(Op.DELETE, Map.of("id", 4), null);
        assertSame(keyOnly, filter.filter(keyOnly), "a key-only old row cannot be judged: the delete is delivered");
    }

    @Test
    void anUpdateThatCrossesTheFilterBecomesAnInsertOrADelete() {
        ChangeEvent stays = change(Op.UPDATE, row(1, "paid", 20), row(1, "paid", 30));
        assertSame(stays, filter.filter(stays));
        ChangeEvent entering = filter.filter(change(Op.UPDATE, row(1, "draft", 20), row(1, "paid", 20)));
        assertEquals(Op.CREATE, entering.op(), "out → in: an insert of the new row");
        assertEquals("paid", entering.after().get("status"));
        ChangeEvent leaving = filter.filter(change(Op.UPDATE, row(1, "paid", 20), row(1, "draft", 20)));
        assertEquals(Op.DELETE, leaving.op(), "in → out: a delete of the old row");
        assertEquals("paid", leaving.before().get("status"));
        assertNull(filter.filter(change(Op.UPDATE, row(1, "draft", 1), row(1, "draft", 2))), "out → out: nothing");
        ChangeEvent noOldRow = filter.filter(change(Op.UPDATE, null, row(1, "draft", 20)));
        assertEquals(Op.DELETE, noOldRow.op(), "no old row and the new one is out: a delete by key");
        assertEquals(Map.of("id", 1), noOldRow.before());
        ChangeEvent noOldRowIn = change(Op.UPDATE, null, row(1, "paid", 20));
        assertSame(noOldRowIn, filter.filter(noOldRowIn));
    }

    @Test
    void aConditionOnAMissingColumnNamesIt() {
        RowFilter bad = new RowFilter(selector("state = 'x'", List.of(), null));
        assertEquals("objects[].where of public.orders (state = 'x') names column 'state', which the table does not have "
                + "(its columns: id, status, amount, note)",
                assertThrows(IllegalArgumentException.class, () -> bad.filter(change(Op.CREATE, null, row(1, "paid", 1)))).getMessage());
    }

    @Test
    void columnsKeepTheKeyAndRenamesReachEveryPart() {
        ObjectSelector selector = selector(null, List.of("amount", "status"), new Rename("sales", "订单", Map.of("amount", "金额", "id", "编号")));
        ColumnProjection projection = new ColumnProjection(selector);
        ChangeEvent out = projection.project(change(Op.UPDATE, row(1, "paid", 20), row(1, "paid", 30)));
        assertEquals(new TableId("shop", "sales", "订单"), out.table());
        assertEquals(List.of("编号", "status", "金额"), List.copyOf(out.columns().keySet()), "table order; the key is always kept");
        assertEquals(List.of("编号"), out.primaryKey());
        assertEquals(Map.of("编号", 1, "status", "paid", "金额", 30), out.after());
        assertEquals(Map.of("编号", 1, "status", "paid", "金额", 20), out.before());
        assertEquals("orders", selector.topicOf(out.table()), "the renamed table still goes to its object's topic");
        assertEquals(List.of("status"), selector.shardingColumnsOf(out.table()));
        ChangeEvent keyOnlyDelete = projection.project(change(Op.DELETE, Map.of("id", 9), null));
        assertEquals(Map.of("编号", 9), keyOnlyDelete.before());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ColumnProjection(selector(null, List.of("nope"), null))
                .project(change(Op.CREATE, null, row(1, "a", 1)))).getMessage().contains("names column 'nope'"));
    }
}
