package blocks;

import model.ChangeEvent;
import model.TableId;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultMessage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-table routing for hand-written routes: splits a batch into one batch per table, in the order each table first
 * appears, each with the headers {@value #TABLE} ({@code schema.table}), {@value #SCHEMA} and {@value #TABLE_NAME},
 * for a {@code choice} or {@code toD} after it. A key's changes keep their order (they are in one table's batch); with
 * the splitter's default (sequential, stop on exception) a failed part fails the whole batch, so nothing is committed
 * past it.
 * <pre>
 * - split:
 *     method: {ref: tableBatches}
 *     steps:
 *       - toD: "kafka:cdc.${header.TributaryTable}?brokers=..."
 * </pre>
 */
public class TableBatches {

    public static final String TABLE = "TributaryTable";
    public static final String SCHEMA = "TributarySchema";
    public static final String TABLE_NAME = "TributaryTableName";

    /** The batch of the exchange as one message per table. */
    public List<Message> split(Exchange exchange) throws Exception {
        @SuppressWarnings("unchecked")
        List<ChangeEvent> events = exchange.getIn().getMandatoryBody(List.class);
        Map<TableId, List<ChangeEvent>> byTable = new LinkedHashMap<>();
        for (ChangeEvent e : events) {
            byTable.computeIfAbsent(e.table(), t -> new ArrayList<>()).add(e);
        }
        List<Message> parts = new ArrayList<>(byTable.size());
        byTable.forEach((table, batch) -> {
            DefaultMessage m = new DefaultMessage(exchange.getContext());
            m.setBody(batch);
            m.setHeader(TABLE, table.namespace() + "." + table.table());
            m.setHeader(SCHEMA, table.namespace());
            m.setHeader(TABLE_NAME, table.table());
            parts.add(m);
        });
        return parts;
    }
}
