package sources;

import java.util.Map;

/** What every source consumer reports to the pipeline's status: its real state, and its snapshot's progress. */
public interface SourceConsumer {

    EngineStatus status();

    /** Snapshot progress (running, completed, tables, tables remaining, rows read); empty when there is none to report. */
    Map<String, Object> snapshotProgress();
}
