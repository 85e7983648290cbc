package sources.jdbc;

import counters.BatchTally;
import config.PipelineSpec;
import config.PipelineSpec.Mode;
import config.Prechecks;
import config.Section;
import config.SourceConfig;
import config.TableSettings;
import sources.SourceChecks;
import sources.SourceContext;
import sources.SourceFactory;
import sources.SourceRoute;

import java.util.List;
import java.util.Set;

/**
 * The {@code jdbc} source plug-in: any database polled with SQL by an incrementing and/or last-modified column, or read
 * whole (bulk). Its endpoint emits canonical events itself.
 */
public final class JdbcPollingSourceFactory implements SourceFactory {

    @Override
    public String type() {
        return "jdbc";
    }

    @Override
    public SourceConfig read(Section source) {
        source.onlyKeys("type", "url", "user", "password", "pollIntervalMs", "delayMs");
        String url = source.string("url", true, null);
        if (url != null && !url.startsWith("jdbc:")) {
            source.error("url", "expected a JDBC URL (jdbc:postgresql://..., jdbc:mariadb://..., ...)");
        }
        int pollIntervalMs = source.integer("pollIntervalMs", 1000, 10, 3_600_000);
        int delayMs = source.integer("delayMs", 0, 0, 3_600_000);
        return new JdbcPollingSourceConfig(url, source.string("user", true, null), source.secret("password", true), pollIntervalMs, delayMs);
    }

    @Override
    public List<String> tableKeys() {
        return List.of("pollMode", "incrementingColumn", "timestampColumn");
    }

    @Override
    public TableSettings readTable(Section object, String table, Mode mode) {
        if (table.contains("*")) {
            object.error("table", "a polled table is named exactly ('*' is for log-based sources)");
        }
        String pollMode = object.oneOf("pollMode", true, null, Set.of("incrementing", "timestamp", "timestamp+incrementing", "bulk"));
        String incrementing = object.string("incrementingColumn", false, null);
        String timestamp = object.string("timestampColumn", false, null);
        if (pollMode == null) {
            return null;
        }
        PollSpec poll = new PollSpec(pollMode, incrementing, timestamp);
        if (poll.usesIncrementing() && incrementing == null) {
            object.error("incrementingColumn", "missing (pollMode " + pollMode + " needs a strictly increasing column)");
        }
        if (poll.usesTimestamp() && timestamp == null) {
            object.error("timestampColumn", "missing (pollMode " + pollMode + " needs a last-modified column)");
        }
        if ("bulk".equals(pollMode) && mode != Mode.FULL) {
            object.error("pollMode", "bulk reads the whole table: it goes with mode full only");
        }
        return poll;
    }

    @Override
    public SourceRoute route(SourceContext c) {
        JdbcPollingEndpoint endpoint = new JdbcPollingEndpoint(c.camel(), c.spec(), c.stateDir());
        try {
            c.camel().addEndpoint(endpoint.getEndpointUri(), endpoint); // replaces the one of a deleted pipeline of that name
        } catch (Exception e) {
            throw new IllegalStateException(endpoint.getEndpointUri() + ": cannot register the polling endpoint", e);
        }
        // the endpoint emits canonical batches already: the source's step only counts them in
        return new SourceRoute(endpoint.getEndpointUri(),
                exchange -> BatchTally.of(exchange).read(exchange.getIn().getBody(List.class).size()), null, null);
    }

    /** The {@code tributary-jdbc-poll:} endpoint; its options poll every table the same way, as one object's keys say. */
    @Override
    public void export(sources.SourceExport x) {
        PipelineSpec spec = x.spec();
        List<PollSpec> polls = spec.objects().stream().map(o -> (PollSpec) o.settings()).distinct().toList();
        if (polls.size() != 1) {
            throw new UnsupportedOperationException("objects: the tables are polled in different ways (pollMode, columns); a"
                    + " tributary-jdbc-poll endpoint polls its tables one way: export one pipeline per way");
        }
        if (spec.startTimestamp() != null) {
            throw new UnsupportedOperationException("startTimestamp: cannot be exported as a route yet");
        }
        JdbcPollingSourceConfig s = spec.source().config(JdbcPollingSourceConfig.class);
        PollSpec poll = polls.get(0);
        java.util.Map<String, Object> p = x.parameters();
        p.put("url", s.url());
        p.put("user", s.user());
        p.put("password", x.secret("source.password"));
        p.put("tables", String.join(",", spec.objects().stream().map(o -> o.schema() + "." + o.table()).toList()));
        p.put("pollMode", poll.mode());
        if (poll.incrementingColumn() != null) {
            p.put("incrementingColumn", poll.incrementingColumn());
        }
        if (poll.timestampColumn() != null) {
            p.put("timestampColumn", poll.timestampColumn());
        }
        p.put("mode", spec.mode().key);
        p.put("pollIntervalMs", s.pollIntervalMs());
        p.put("delayMs", s.delayMs());
        p.put("maxEvents", spec.batch().maxEvents());
        p.put("stateDir", x.stateDir().getParent().toString());
        x.from("tributary-jdbc-poll:" + spec.name());
    }

    @Override
    public void precheck(PipelineSpec spec, Prechecks checks) {
        JdbcPollingSourceConfig s = spec.source().config(JdbcPollingSourceConfig.class);
        if (SourceChecks.connect(checks, s.url(), s.user(), s.password())) {
            SourceChecks.tables(checks, spec, s.url(), s.user(), s.password(), s.catalogIsDatabase());
        }
    }
}
