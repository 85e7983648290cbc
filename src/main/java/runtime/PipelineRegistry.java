package runtime;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/** The pipelines this instance runs, by name. */
public final class PipelineRegistry {

    private final Map<String, PipelineRuntime> pipelines = new ConcurrentSkipListMap<>();

    public void add(PipelineRuntime pipeline) {
        if (pipelines.putIfAbsent(pipeline.name(), pipeline) != null) {
            throw new IllegalArgumentException("pipeline '" + pipeline.name() + "' is already loaded");
        }
    }

    public void remove(String name) {
        pipelines.remove(name);
    }

    public Optional<PipelineRuntime> get(String name) {
        return Optional.ofNullable(pipelines.get(name));
    }

    public Collection<PipelineRuntime> all() {
        return pipelines.values();
    }
}
