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
            m.get().getValue().write(relative(m.get().getKey(), file), bytes);
        }
    }

    /** Whether {@code file} lies in a shared pipeline's folder: its writer then mirrors what it writes. */
    public static boolean isMirrored(Path file) {
        return mirrorOf(file).isPresent();
    }

    /**
     * Appends to files of one shared pipeline folder in the state database, all in one fenced transaction, before the
     * caller appends them locally (files outside a shared folder: nothing happens).
     */
    public static void mirrorAppend(Map<Path, byte[]> appends) throws IOException {
        if (appends.isEmpty()) {
            return;
        }
        Optional<Map.Entry<Path, StateMirror>> m = mirrorOf(appends.keySet().iterator().next());
        if (m.isPresent()) {
            Map<String, byte[]> relative = new java.util.LinkedHashMap<>();
            appends.forEach((file, bytes) -> relative.put(relative(m.get().getKey(), file), bytes));
            m.get().getValue().append(relative);
        }
    }

    /** Removes a file or a folder's files of a shared pipeline from the state database, before the caller deletes them locally. */
    public static void mirrorDelete(Path fileOrFolder) throws IOException {
        Optional<Map.Entry<Path, StateMirror>> m = mirrorOf(fileOrFolder);
        if (m.isPresent()) {
            m.get().getValue().delete(relative(m.get().getKey(), fileOrFolder));
        }
    }

    private static String relative(Path pipelineDir, Path file) {
        return pipelineDir.relativize(file.toAbsolutePath().normalize()).toString().replace('\\', '/');
    }

    /** Whether this pipeline folder's state is shared (this node owns the pipeline in a cluster). */
    public static boolean isShared(Path pipelineDir) {
        return MIRRORS.containsKey(pipelineDir.toAbsolutePath().normalize());
    }

    /** The mirror of a shared pipeline folder (its epoch, its idle-transaction limit); empty when its state is not shared. */
    public static Optional<StateMirror> mirror(Path pipelineDir) {
        return Optional.ofNullable(MIRRORS.get(pipelineDir.toAbsolutePath().normalize()));
    }

    /** Throws {@link StaleOwnerException} when the pipeline of this folder was taken by another node; else nothing. */
    public static void checkOwner(Path pipelineDir) throws IOException {
        StateMirror m = MIRRORS.get(pipelineDir.toAbsolutePath().normalize());
        if (m != null) {
            m.checkOwner();
        }
    }
}
