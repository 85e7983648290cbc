package processors;

import model.ChangeEvent;
import model.Op;
import model.SourcePosition;
import model.TableId;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import runtime.PipelineCounters;

import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The "normalize" box of DESIGN.md §2: a batch of Debezium {@link SourceRecord}s (body {@code List<SourceRecord>},
 * as the {@code cdc:} endpoint emits it) becomes a {@code List<ChangeEvent>} in the same order. Nothing downstream
 * sees a {@link Struct}. Records that are not row changes (e.g. transaction markers) are left out.
 * <p>
 * Deletes: with PostgreSQL's REPLICA IDENTITY DEFAULT the old row carries only the key, and Debezium fills the other
 * NOT NULL columns with placeholders ("" / 0). Unless {@code fullOldRows} says the table logs whole rows, a delete's
 * before image is therefore exactly the record key — never the placeholders.
 */
public class DebeziumNormalizer implements Processor {

    private final String pipeline;
    private final Predicate<TableId> fullOldRows;
    private final PipelineCounters counters;
    /** Per row schema (one per table version): its columns and their converters, built once. */
    private final Map<Schema, RowShape> shapes = new IdentityHashMap<>();
    private final Map<Schema, List<String>> keyColumns = new IdentityHashMap<>();
    private String currentTx;
    private long seqInTx;

    /** For hand-written routes: the pipeline is named after the route; deletes carry the key only. */
    public DebeziumNormalizer() {
        this(null, table -> false, new PipelineCounters());
    }

    public DebeziumNormalizer(String pipeline, Predicate<TableId> fullOldRows, PipelineCounters counters) {
        this.pipeline = pipeline;
        this.fullOldRows = fullOldRows;
        this.counters = counters;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        @SuppressWarnings("unchecked")
        List<SourceRecord> records = exchange.getIn().getMandatoryBody(List.class);
        exchange.getIn().setBody(normalize(records, pipeline != null ? pipeline : exchange.getFromRouteId()));
    }

    public synchronized List<ChangeEvent> normalize(List<SourceRecord> records, String pipelineName) {
        List<ChangeEvent> events = new ArrayList<>(records.size());
        for (SourceRecord record : records) {
            ChangeEvent event = normalize(record, pipelineName);
            if (event != null) {
                events.add(event);
            }
        }
        counters.eventsIn.addAndGet(events.size());
        return events;
    }

    private ChangeEvent normalize(SourceRecord record, String pipelineName) {
        if (record.value() instanceof Struct change && change.schema().field("ddl") != null && change.schema().field("op") == null) {
            return schemaChange(change, pipelineName);
        }
        if (!(record.value() instanceof Struct envelope) || envelope.schema().field("op") == null) {
            return null;
        }
        Op op = Op.fromDebeziumCode(envelope.getString("op"));
        Struct source = envelope.getStruct("source");
        TableId table = new TableId(source.getString("db"), optionalString(source, "schema"), source.getString("table"));
        Schema rowSchema = envelope.schema().field("after").schema();
        RowShape shape = shapes.computeIfAbsent(rowSchema, RowShape::new);
        List<String> primaryKey = record.keySchema() == null ? List.of()
                : keyColumns.computeIfAbsent(record.keySchema(), s -> s.fields().stream().map(Field::name).toList());

        Map<String, Object> after = shape.row(envelope.getStruct("after"));
        Map<String, Object> before;
        if (op == Op.DELETE && !fullOldRows.test(table)) {
            before = record.key() instanceof Struct key ? shape.keyOnly((Struct) key) : shape.row(envelope.getStruct("before"));
        } else {
            before = shape.row(envelope.getStruct("before"));
        }
        return ChangeEvent.row(pipelineName, op, table, before, after, primaryKey, shape.columnTypes, position(source, op));
    }

    private SourcePosition position(Struct source, Op op) {
        // PostgreSQL: txId; MySQL/MariaDB: the GTID (when the server assigns them) is the transaction
        Object tx = source.schema().field("txId") != null ? source.get("txId")
                : source.schema().field("gtid") != null ? source.get("gtid") : null;
        String txId = tx == null ? null : tx.toString();
        long seq = 0;
        if (op != Op.READ && txId != null) {
            seq = Objects.equals(txId, currentTx) ? ++seqInTx : (seqInTx = 1);
            currentTx = txId;
        }
        String snapshot = optionalString(source, "snapshot");
        return new SourcePosition(source.getString("connector"), logPosition(source), txId, seq,
                commitTime(source), snapshot != null && !snapshot.equals("false"));
    }

    /** PostgreSQL: the LSN; SQL Server: commit:change LSN:serial; MySQL/MariaDB: binlog file, position of the event and row inside it ({@code mysql-bin.000003:4711:0}). */
    private static String logPosition(Struct source) {
        if (source.schema().field("lsn") != null) {
            Object lsn = source.get("lsn");
            return lsn == null ? null : lsn.toString();
        }
        if (source.schema().field("commit_lsn") != null) { // SQL Server: commit LSN, change LSN, serial number in the change
            return source.get("commit_lsn") + ":" + source.get("change_lsn") + ":" + source.get("event_serial_no");
        }
        if (source.schema().field("file") != null) {
            Object row = source.schema().field("row") != null ? source.get("row") : null;
            return source.get("file") + ":" + source.get("pos") + ":" + (row == null ? 0 : row);
        }
        return null;
    }

    /** A schema change record of a binlog source (includeSchemaChanges): a DDL event carrying the statement. */
    private ChangeEvent schemaChange(Struct change, String pipelineName) {
        Struct source = change.getStruct("source");
        String ddl = change.getString("ddl");
        if (source == null || ddl == null) {
            return null;
        }
        String table = optionalString(source, "table");
        TableId id = new TableId(source.getString("db"), null, table == null || table.isEmpty() ? "" : table.split(",")[0]);
        String snapshot = optionalString(source, "snapshot"); // the snapshot's CREATE TABLEs describe, they change nothing
        return ChangeEvent.ddl(pipelineName, id, ddl, new SourcePosition(source.getString("connector"), logPosition(source), null, 0,
                commitTime(source), snapshot != null && !snapshot.equals("false")));
    }

    private static Instant commitTime(Struct source) {
        if (source.schema().field("ts_us") != null && source.get("ts_us") != null) {
            long us = source.getInt64("ts_us");
            return Instant.ofEpochSecond(Math.floorDiv(us, 1_000_000L), Math.floorMod(us, 1_000_000L) * 1000L);
        }
        return Instant.ofEpochMilli(source.getInt64("ts_ms"));
    }

    private static String optionalString(Struct s, String field) {
        return s.schema().field(field) == null ? null : s.getString(field);
    }

    /** A table version's columns: names, source types and value converters, in table order. */
    private static final class RowShape {
        final List<Field> fields;
        final List<Function<Object, Object>> converters = new ArrayList<>();
        final Map<String, String> columnTypes = new LinkedHashMap<>();

        RowShape(Schema rowSchema) {
            fields = rowSchema.fields();
            for (Field f : fields) {
                converters.add(ConnectValues.converter(f.schema()));
                columnTypes.put(f.name(), ConnectValues.sourceType(f.schema()));
            }
        }

        Map<String, Object> row(Struct struct) {
            if (struct == null) {
                return null;
            }
            Map<String, Object> row = new LinkedHashMap<>(fields.size() * 2);
            for (int i = 0; i < fields.size(); i++) {
                Object v = struct.get(fields.get(i));
                row.put(fields.get(i).name(), v == null ? null : converters.get(i).apply(v));
            }
            return row;
        }

        Map<String, Object> keyOnly(Struct key) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (Field f : key.schema().fields()) {
                Object v = key.get(f);
                row.put(f.name(), v == null ? null : ConnectValues.converter(f.schema()).apply(v));
            }
            return row;
        }
    }
}
