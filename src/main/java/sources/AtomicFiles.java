package sources;

import faults.FaultPoints;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Replaces a small state file (offsets, watermarks) so that a crash at any moment leaves either the old content or
 * the new one: the bytes go to {@code <file>.tmp}, and an atomic rename puts them in place. A crash mid-write leaves
 * only a torn temporary file, which the next save overwrites. (No fsync: this guards against the process dying, which
 * the page cache survives, as docs/reliability.md says.)
 */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    public static void write(Path file, byte[] bytes) throws IOException {
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
