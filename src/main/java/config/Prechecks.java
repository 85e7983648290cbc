package config;

/**
 * Where a plug-in reports its prechecks (REST {@code POST /api/pipelines/{name}/precheck}, CLI {@code check FILE}):
 * one named check per call, run against the real server unless the operator skipped it.
 */
public interface Prechecks {

    /** Returns the detail to show when the check passes; throws, with the reason, when it fails. */
    interface Probe {
        String run() throws Exception;
    }

    /** Runs (or skips) one check and records PASS / FAIL / SKIPPED; true unless it failed. */
    boolean check(String name, Probe probe);
}
