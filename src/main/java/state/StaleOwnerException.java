package state;

import java.io.IOException;

/** A write refused because another node owns the pipeline under a newer epoch (fencing; docs/cluster.md). */
public final class StaleOwnerException extends IOException {

    public StaleOwnerException(String pipeline, long epoch, long current) {
        super("pipeline '" + pipeline + "' is owned under epoch " + current + ", not " + epoch
                + " any more: this node lost it and writes nothing more for it");
    }
}
