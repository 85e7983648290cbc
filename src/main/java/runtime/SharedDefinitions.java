package runtime;

import java.util.Map;
import java.util.Optional;

/**
 * Cluster mode as the pipeline manager and the REST API see it (implemented by {@code cluster.ClusterNode}): pipeline
 * definitions kept in the shared state database instead of the pipelines folder, the node that owns each pipeline,
 * and the cluster's picture for {@code GET /api/cluster}.
 */
public interface SharedDefinitions {

    /** Stores a new definition; {@link PipelineManager.Conflict} when the name is taken anywhere in the cluster. */
    void create(String name, String text) throws Exception;

    void update(String name, String text) throws Exception;

    void delete(String name) throws Exception;

    /** Records an operator's start (false) or stop (true), which every later owner follows. */
    void stopped(String name, boolean stopped) throws Exception;

    /** The base URL of the node that owns the pipeline, when that is another node. */
    Optional<String> remoteOwner(String pipeline);

    /** Members, owners, epochs (docs/rest-api.md, {@code GET /api/cluster}). */
    Map<String, Object> describe() throws Exception;
}
