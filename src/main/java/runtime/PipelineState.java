package runtime;

/** A pipeline's state as operators see it (docs/design.md, "Sync modes"). */
public enum PipelineState {
    /** loaded; the source is connecting or has not been started */
    INIT,
    /** the source runs: snapshotting or streaming */
    RUNNING,
    /** paused by an operator: reads nothing, keeps its place; resume continues from it */
    PAUSED,
    /** stopped by an operator (or the application); resumes from its saved offset when started */
    STOPPED,
    /** the source or a batch failed after its retries; offsets stay at the last delivered batch */
    FAILED,
    /** mode full: the snapshot is delivered and committed; nothing more to do */
    SUCCESS
}
