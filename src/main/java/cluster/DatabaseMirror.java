package cluster;

import state.StateMirror;

import java.io.IOException;

/** One pipeline's state files written to the state database under the epoch of this node's claim. */
final class DatabaseMirror implements StateMirror {

    private final StateDatabase db;
    private final String pipeline;
    private final long epoch;

    DatabaseMirror(StateDatabase db, String pipeline, long epoch) {
        this.db = db;
        this.pipeline = pipeline;
        this.epoch = epoch;
    }

    @Override
    public void write(String file, byte[] bytes) throws IOException {
        db.stateFiles().writeFile(pipeline, epoch, file, bytes);
    }

    @Override
    public void append(java.util.Map<String, byte[]> appends) throws IOException {
        db.stateFiles().appendFiles(pipeline, epoch, appends);
    }

    @Override
    public void delete(String fileOrFolder) throws IOException {
        db.stateFiles().deleteFiles(pipeline, epoch, fileOrFolder);
    }

    @Override
    public long idleTransactionLimitMs() {
        return db.idleLimitMs();
    }

    @Override
    public long epoch() {
        return epoch;
    }

    @Override
    public void checkOwner() throws IOException {
        db.checkEpoch(pipeline, epoch);
    }
}
