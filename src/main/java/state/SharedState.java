package state;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pipeline folders whose state is mirrored in a cluster's state database, each with its {@link StateMirror}. A
 * registry by folder, not a field passed along, because some writers are created by libraries by class name (Kafka
 * Connect builds the offset store) and know only their file. Without cluster mode nothing is registered and every
 * call here is a map look-up that finds nothing.
 */
public final class SharedState {

    private static final Map<Path, StateMirror> MIRRORS = new ConcurrentHashMap<>();

    private SharedState() {
    }

    public static void register(Path pipelineDir, StateMirror mirror) {
        MIRRORS.put(pipelineDir.toAbsolutePath().normalize(), mirror);
    }

    public static void unregister(Path pipelineDir) {
        MIRRORS.remove(pipelineDir.toAbsolutePath().normalize());
    }

    /** The mirror of the folder holding {@code file} (at any depth), if that folder is a shared pipeline's. */
    static Optional<Map.Entry<Path, StateMirror>> mirrorOf(Path file) {
        if (MIRRORS.isEmpty()) {
            return Optional.empty();
        }
        for (Path dir = file.toAbsolutePath().normalize().getParent(); dir != null; dir = dir.getParent()) {
            StateMirror m = MIRRORS.get(dir);
            if (m != null) {
                return Optional.of(Map.entry(dir, m));
            }
        }
        return Optional.empty();
    }

    static void mirrorWrite(Path file, byte[] bytes) throws IOException {
        Optional<Map.Entry<Path, StateMirror>> m = mirrorOf(file);
        if (m.isPresent()) {
            Path relative = m.get().getKey().relativize(file.toAbsolutePath().normalize());
            m.get().getValue().write(relative.toString().replace('\\', '/'), bytes);
        }
    }

    /** Whether this pipeline folder's state is shared (this node owns the pipeline in a cluster). */
    public static boolean isShared(Path pipelineDir) {
        return MIRRORS.containsKey(pipelineDir.toAbsolutePath().normalize());
    }

    /** The epoch under which this node owns the pipeline of this folder; empty when its state is not shared. */
    public static java.util.OptionalLong epoch(Path pipelineDir) {
        StateMirror m = MIRRORS.get(pipelineDir.toAbsolutePath().normalize());
        return m == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(m.epoch());
    }

    /** Throws {@link StaleOwnerException} when the pipeline of this folder was taken by another node; else nothing. */
    public static void checkOwner(Path pipelineDir) throws IOException {
        StateMirror m = MIRRORS.get(pipelineDir.toAbsolutePath().normalize());
        if (m != null) {
            m.checkOwner();
        }
    }
}
