package state;

import java.io.IOException;

/**
 * Where one pipeline's state files are kept besides its local folder, and who may write them: the shared state
 * database of a cluster, fenced by the epoch under which this node owns the pipeline.
 */
public interface StateMirror {

    /** Stores a file (its path relative to the pipeline's folder); throws {@link StaleOwnerException} if no longer the owner. */
    void write(String file, byte[] bytes) throws IOException;

    /** Appends to files (path relative to the pipeline's folder → bytes), all at once; throws {@link StaleOwnerException} if no longer the owner. */
    void append(java.util.Map<String, byte[]> appends) throws IOException;

    /** Removes a file, or every file under a folder (its path relative to the pipeline's folder). */
    void delete(String fileOrFolder) throws IOException;

    /** How long a transaction that writes for this pipeline may idle before its server ends it ({@link IdleTransactions}). */
    long idleTransactionLimitMs();

    /** The epoch under which this node owns the pipeline. */
    long epoch();

    /** Throws {@link StaleOwnerException} when another node has taken the pipeline since this node's claim. */
    void checkOwner() throws IOException;
}
