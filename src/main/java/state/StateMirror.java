package state;

import java.io.IOException;

/**
 * Where one pipeline's state files are kept besides its local folder, and who may write them: the shared state
 * database of a cluster, fenced by the epoch under which this node owns the pipeline.
 */
public interface StateMirror {

    /** Stores a file (its path relative to the pipeline's folder); throws {@link StaleOwnerException} if no longer the owner. */
    void write(String file, byte[] bytes) throws IOException;

    /** The epoch under which this node owns the pipeline. */
    long epoch();

    /** Throws {@link StaleOwnerException} when another node has taken the pipeline since this node's claim. */
    void checkOwner() throws IOException;
}
