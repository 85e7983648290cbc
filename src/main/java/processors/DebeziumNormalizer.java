package processors;

import formats.ConnectValues;
import model.ChangeEvent;
import model.Op;
import model.Row;
import model.SourcePosition;
import model.TableId;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import counters.BatchTally;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The "normalize" box of docs/design.md, "The route": a batch of Debezium {@link SourceRecord}s (body {@code List<SourceRecord>},
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
    /** Per row schema (one per table version): its columns and their converters, built once. */
    private final PerSchema<RowShape> shapes = new PerSchema<>(RowShape::new);
    /** An immutable list, which the event takes as it is (a list of another kind it copies, per change). */
    private final PerSchema<List<String>> keyColumns = new PerSchema<>(s -> List.copyOf(s.fields().stream().map(Field::name).toList()));
    private final PerSchema<EnvelopeFields> envelopes = new PerSchema<>(EnvelopeFields::of);
    private final PerSchema<SourceFields> sources = new PerSchema<>(SourceFields::of);
    private String currentTx;
    private long seqInTx;

    /** For hand-written routes: the pipeline is named after the route; deletes carry the key only. */
    public DebeziumNormalizer() {
        this(null, table -> false);
    }

    public DebeziumNormalizer(String pipeline, Predicate<TableId> fullOldRows) {
        this.pipeline = pipeline;
        this.fullOldRows = fullOldRows;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        List<?> records = exchange.getIn().getMandatoryBody(List.class);
        if (!records.isEmpty() && records.get(0) instanceof ChangeEvent) {
            BatchTally.of(exchange).read(records.size()); // a parallel snapshot's batch: canonical already
            return;
        }
        @SuppressWarnings("unchecked")
        List<SourceRecord> sourceRecords = (List<SourceRecord>) records;
        List<ChangeEvent> events = normalize(sourceRecords, pipeline != null ? pipeline : exchange.getFromRouteId());
        BatchTally.of(exchange).read(events.size());
        exchange.getIn().setBody(events);
    }

    public synchronized List<ChangeEvent> normalize(List<SourceRecord> records, String pipelineName) {
        List<ChangeEvent> events = new ArrayList<>(records.size());
        for (SourceRecord record : records) {
            ChangeEvent event = normalize(record, pipelineName);
            if (event != null) {
                events.add(event);
            }
        }
        return events;
    }

    private ChangeEvent normalize(SourceRecord record, String pipelineName) {
        if (!(record.value() instanceof Struct envelope)) {
            return null;
        }
        EnvelopeFields f = envelopes.get(envelope.schema());
        if (f.op == null) {
            return f.ddl != null ? schemaChange(envelope, pipelineName) : null;
        }
        Op op = Op.fromDebeziumCode((String) envelope.get(f.op));
        Struct source = (Struct) envelope.get(f.source);
        SourceBlockValues kept = source instanceof SourceBlockValues v ? v : null; // read without filling the block's struct
        SourceFields sf = kept != null ? null : sources.get(source.schema());
        TableId table = kept != null ? tableId(kept.database(), kept.schemaName(), kept.tableName())
                : tableId((String) sf.get(source, sf.db), (String) sf.get(source, sf.schema), (String) sf.get(source, sf.table));
        RowShape shape = shapes.get(f.after.schema());
        List<String> primaryKey = record.keySchema() == null ? List.of()
                : keyColumns.get(record.keySchema());

        Map<String, Object> after = shape.row((Struct) envelope.get(f.after));
        Map<String, Object> before;
        if (op == Op.DELETE && !fullOldRows.test(table)) {
            before = record.key() instanceof Struct key ? shape.keyOnly(key) : shape.row((Struct) envelope.get(f.before));
        } else {
            before = shape.row((Struct) envelope.get(f.before));
        }
        return ChangeEvent.row(pipelineName, op, table, before, after, primaryKey, shape.columnTypes,
                kept != null ? position(kept, op) : position(source, sf, op));
    }

    /**
     * The same {@link TableId} instance for consecutive changes of a table: the steps after this one look a table up
     * several times per change, and an identical instance answers at once.
     */
    private TableId tableId(String db, String schema, String table) {
        TableId last = lastTable;
        if (last != null && Objects.equals(last.table(), table) && Objects.equals(last.schema(), schema) && Objects.equals(last.database(), db)) {
            return last;
        }
        return lastTable = new TableId(db, schema, table);
    }

    private TableId lastTable;

    /** An envelope schema's fields, looked up once: by name for every record they were a tenth of the batch thread's time. */
    private record EnvelopeFields(Field op, Field source, Field before, Field after, Field ddl) {
        static EnvelopeFields of(Schema s) {
            return new EnvelopeFields(s.field("op"), s.field("source"), s.field("before"), s.field("after"), s.field("ddl"));
        }
    }

    /** A source-info schema's fields (absent ones null: each connector has its own), looked up once. */
    private record SourceFields(Field connector, Field db, Field schema, Field table, Field tx, Field snapshot, Field lsn,
                                Field commitLsn, Field changeLsn, Field serial, Field file, Field pos, Field row, Field tsUs, Field tsMs) {
        static SourceFields of(Schema s) {
            // PostgreSQL: txId; MySQL/MariaDB: the GTID (when the server assigns them) is the transaction
            return new SourceFields(s.field("connector"), s.field("db"), s.field("schema"), s.field("table"),
                    s.field("txId") != null ? s.field("txId") : s.field("gtid"), s.field("snapshot"), s.field("lsn"),
                    s.field("commit_lsn"), s.field("change_lsn"), s.field("event_serial_no"), s.field("file"), s.field("pos"),
                    s.field("row"), s.field("ts_us"), s.field("ts_ms"));
        }

        Object get(Struct source, Field field) {
            return field == null ? null : source.get(field);
        }
    }

    private SourcePosition position(Struct source, SourceFields f, Op op) {
        return position((String) f.get(source, f.connector), logPosition(source, f), f.get(source, f.tx), commitTime(source, f),
                f.get(source, f.snapshot), op);
    }

    /** The same position, from a source block that keeps its values (the struct stays unfilled). */
    private SourcePosition position(SourceBlockValues source, Op op) {
        return position(source.connector(), source.logPosition(), source.transaction(), source.commitTime(), source.snapshot(), op);
    }

    /** {@code seqInTx} numbers the changes of a transaction 1, 2, ...; 0 for a snapshot row or a change without a transaction. */
    private SourcePosition position(String connector, String logPosition, Object tx, Instant commitTime, Object snapshot, Op op) {
        String txId = txText(tx);
        long seq = 0;
        if (op != Op.READ && txId != null) {
            seq = Objects.equals(txId, currentTx) ? ++seqInTx : (seqInTx = 1);
            currentTx = txId;
        }
        return new SourcePosition(connector, logPosition, txId, seq, commitTime, snapshot != null && !snapshot.equals("false"));
    }

    /** The last transaction's id and its text: the changes of a transaction come together, and a number's text was a thirtieth of the batch thread's time. */
    private Object lastTx;
    private String lastTxText;

    private String txText(Object tx) {
        if (tx == null) {
            return null;
        }
        if (!tx.equals(lastTx)) {
            lastTx = tx;
            lastTxText = tx.toString();
        }
        return lastTxText;
    }

    /** PostgreSQL: the LSN; SQL Server: commit:change LSN:serial; MySQL/MariaDB: binlog file, position of the event and row inside it ({@code mysql-bin.000003:4711:0}). */
    private static String logPosition(Struct source, SourceFields f) {
        if (f.lsn != null) {
            Object lsn = source.get(f.lsn);
            return lsn == null ? null : lsn.toString();
        }
        if (f.commitLsn != null) { // SQL Server: commit LSN, change LSN, serial number in the change
            return source.get(f.commitLsn) + ":" + f.get(source, f.changeLsn) + ":" + f.get(source, f.serial);
        }
        if (f.file != null) {
            Object row = f.get(source, f.row);
            return source.get(f.file) + ":" + f.get(source, f.pos) + ":" + (row == null ? 0 : row);
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
        SourceFields f = sources.get(source.schema());
        String table = (String) f.get(source, f.table);
        TableId id = new TableId((String) f.get(source, f.db), null, table == null || table.isEmpty() ? "" : table.split(",")[0]);
        Object snapshot = f.get(source, f.snapshot); // the snapshot's CREATE TABLEs describe, they change nothing
        return ChangeEvent.ddl(pipelineName, id, ddl, new SourcePosition((String) f.get(source, f.connector), logPosition(source, f), null, 0,
                commitTime(source, f), snapshot != null && !snapshot.equals("false")));
    }

    private static Instant commitTime(Struct source, SourceFields f) {
        Object us = f.get(source, f.tsUs);
        if (us != null) {
            long micros = (Long) us;
            return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
        }
        return Instant.ofEpochMilli((Long) source.get(f.tsMs));
    }

    /** A table version's columns: names, source types and value converters, in table order. */
    private static final class RowShape {
        final List<Field> fields;
        final List<Function<Object, Object>> converters = new ArrayList<>();
        final Map<String, String> columnTypes;
        final Row.Columns columns;

        RowShape(Schema rowSchema) {
            fields = rowSchema.fields();
            Map<String, String> types = new LinkedHashMap<>();
            for (Field f : fields) {
                converters.add(ConnectValues.converter(f.schema()));
                types.put(f.name(), ConnectValues.sourceType(f.schema()));
            }
            columnTypes = Collections.unmodifiableMap(types); // shared by every event of the table version, not wrapped per event
            columns = Row.Columns.of(fields.stream().map(Field::name).toList());
        }

        Map<String, Object> row(Struct struct) {
            if (struct == null) {
                return null;
            }
            Object[] values = new Object[fields.size()];
            for (int i = 0; i < values.length; i++) {
                Object v = struct.get(fields.get(i));
                values[i] = v == null ? null : converters.get(i).apply(v);
            }
            return columns.row(values);
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
