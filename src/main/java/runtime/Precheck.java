package runtime;

import config.PipelineSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a pipeline needs before it runs, checked against the real source and sink (REST {@code POST
 * /api/pipelines/{name}/precheck}, CLI {@code check FILE}): one line per check, PASS / FAIL / SKIPPED (a check the
 * operator chose to skip, as OMS allows), each with what was found. Nothing is created or changed (a probe file on
 * HDFS is written and deleted). Messages never carry a password.
 */
public final class Precheck {

    public enum Result { PASS, FAIL, SKIPPED }

    public record Check(String name, Result result, String detail) {
        public Map<String, String> toMap() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("check", name);
            m.put("result", result.name());
            m.put("detail", detail);
            return m;
        }
    }

    private final PipelineSpec spec;
    private final Set<String> skip;
    private final List<Check> checks = new ArrayList<>();

    private Precheck(PipelineSpec spec, Set<String> skip) {
        this.spec = spec;
        this.skip = skip;
    }

    /** Runs every check; {@code skip} names checks to report as SKIPPED instead of running them. */
    public static List<Check> run(PipelineSpec spec, Set<String> skip) {
        Precheck p = new Precheck(spec, skip);
        p.source();
        p.sink();
        return p.checks;
    }

    public static boolean passed(List<Check> checks) {
        return checks.stream().noneMatch(c -> c.result() == Result.FAIL);
    }

    private interface Probe {
        String run() throws Exception; // the detail when it passes; throws (with the reason) when it fails
    }

    /** A plug-in's check: run (or skipped) and recorded; false when it failed. */
    private boolean report(String name, config.Prechecks.Probe probe) {
        check(name, probe::run);
        return checks.get(checks.size() - 1).result() != Result.FAIL;
    }

    private void check(String name, Probe probe) {
        if (skip.contains(name)) {
            checks.add(new Check(name, Result.SKIPPED, "skipped by the operator"));
            return;
        }
        try {
            checks.add(new Check(name, Result.PASS, probe.run()));
        } catch (Exception e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            checks.add(new Check(name, Result.FAIL, spec.masked(why)));
        }
    }

    private void source() {
        sources.SourceFactory.of(spec.source().type()).precheck(spec, this::report);
    }

    private void sink() {
        sinks.SinkFactory.of(spec.sink().type()).precheck(spec, this::report);
    }
}
