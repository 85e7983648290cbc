package blocks;

import model.TableId;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import processors.DebeziumNormalizer;

import java.util.function.Predicate;

/**
 * A {@code cdc:} batch of Debezium records → the canonical {@code List<ChangeEvent>}, configured as a bean (the
 * {@code changeEvents} bean is this with the defaults). {@code pipeline} names the changes (their ids; default the
 * route's id); a delete carries the whole old row where the source logs it — {@code wholeOldRows: true} for every
 * table (binlog, SQL Server), or {@code fullOldRows: "#bean:NAME"}, a {@code Predicate<TableId>} such as
 * {@code sources.postgres.PostgresReplicaIdentity} (PostgreSQL: tables with REPLICA IDENTITY FULL) — else the key only.
 */
public class ChangeEvents implements Processor {

    private String pipeline;
    private boolean wholeOldRows;
    private Predicate<TableId> fullOldRows;
    private volatile DebeziumNormalizer normalizer;

    public String getPipeline() {
        return pipeline;
    }

    public void setPipeline(String pipeline) {
        this.pipeline = pipeline;
        normalizer = null;
    }

    public boolean isWholeOldRows() {
        return wholeOldRows;
    }

    public void setWholeOldRows(boolean wholeOldRows) {
        this.wholeOldRows = wholeOldRows;
        normalizer = null;
    }

    public Predicate<TableId> getFullOldRows() {
        return fullOldRows;
    }

    public void setFullOldRows(Predicate<TableId> fullOldRows) {
        this.fullOldRows = fullOldRows;
        normalizer = null;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        DebeziumNormalizer n = normalizer;
        if (n == null) {
            Predicate<TableId> whole = wholeOldRows ? table -> true : fullOldRows != null ? fullOldRows : table -> false;
            n = new DebeziumNormalizer(pipeline, whole);
            normalizer = n;
        }
        n.process(exchange);
    }
}
