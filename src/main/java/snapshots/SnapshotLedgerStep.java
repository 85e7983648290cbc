package snapshots;

import model.ChangeEvent;
import model.TableRouting;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

import java.nio.file.Path;
import java.util.List;

/**
 * The route step of a {@link SnapshotLedger}, just before dedup and the sink, so it sees what the sink will get (after
 * selection, row filter, columns and renames): a batch marked {@link SnapshotLedger#RETAKABLE} has its keys recorded;
 * an exchange marked {@link SnapshotLedger#SWEEP} becomes the next chunk of the retake's deletes.
 * <p>
 * In a hand-written route it is a bean given to both the source ({@code cdc:...?snapshotLedger=#bean:NAME}) and the
 * route ({@code process: {ref: NAME}}), configured by {@code dir} (its folder), {@code pipeline} (the changes' name),
 * {@code routing} (the sharding columns a delete needs, e.g. a {@code blocks.PipelineObjects} bean) and {@code chunk}
 * (deletes per exchange).
 */
public final class SnapshotLedgerStep implements Processor {

    private volatile SnapshotLedger ledger;
    private String dir;
    private String pipeline;
    private TableRouting routing;
    private int chunk = 2048;

    /** A bean: the ledger is made from the properties when first used. */
    public SnapshotLedgerStep() {
    }

    public SnapshotLedgerStep(SnapshotLedger ledger) {
        this.ledger = ledger;
    }

    /** The ledger this step writes. */
    public synchronized SnapshotLedger ledger() {
        if (ledger == null) {
            if (dir == null || pipeline == null) {
                throw new IllegalArgumentException("SnapshotLedgerStep: dir and pipeline are required");
            }
            TableRouting r = routing;
            ledger = new SnapshotLedger(Path.of(dir).toAbsolutePath(), pipeline, r == null ? table -> List.of() : r::shardingColumnsOf, chunk);
        }
        return ledger;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void process(Exchange exchange) {
        if (Boolean.TRUE.equals(exchange.getIn().getHeader(SnapshotLedger.SWEEP))) {
            exchange.getIn().setBody(ledger().nextSweepChunk());
        } else if (Boolean.TRUE.equals(exchange.getIn().getHeader(SnapshotLedger.RETAKABLE))) {
            ledger().record(exchange.getIn().getBody(List.class));
        }
    }

    public String getDir() {
        return dir;
    }

    public void setDir(String dir) {
        this.dir = dir;
    }

    public String getPipeline() {
        return pipeline;
    }

    public void setPipeline(String pipeline) {
        this.pipeline = pipeline;
    }

    public TableRouting getRouting() {
        return routing;
    }

    public void setRouting(TableRouting routing) {
        this.routing = routing;
    }

    public int getChunk() {
        return chunk;
    }

    public void setChunk(int chunk) {
        this.chunk = chunk;
    }
}
