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
        db.writeFile(pipeline, epoch, file, bytes);
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
