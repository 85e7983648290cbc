package state;

import faults.FaultPoints;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Replaces a small state file (offsets, watermarks, a sink's open parts, a snapshot's end marker) so that a crash at
 * any moment leaves either the old content or the new one: the bytes go to {@code <file>.tmp}, and an atomic rename
 * puts them in place. A crash mid-write leaves only a torn temporary file, which the next save overwrites. (No fsync:
 * this guards against the process dying, which the page cache survives, as docs/reliability.md says.)
 * <p>
 * In cluster mode the file's folder may be a pipeline's state mirrored in the shared state database
 * ({@link SharedState}): the bytes go there first, fenced by the owner's epoch, and only then to the local file — a node
 * that lost its pipeline has its write refused and its local copy left as it was.
 */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    public static void write(Path file, byte[] bytes) throws IOException {
        SharedState.mirrorWrite(file, bytes);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            int half = bytes.length / 2;
            out.write(bytes, 0, half);
            out.flush();
            FaultPoints.reached(FaultPoints.STATE_HALF_WRITTEN);
            out.write(bytes, half, bytes.length - half);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
