package sinks.jdbc;

import config.PipelineSpec;
import config.Prechecks;
import config.Section;
import config.SinkConfig;
import sinks.BatchSink;
import sinks.SinkContext;
import sinks.SinkFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Set;

/** The {@code jdbc} sink plug-in: upserts and deletes by primary key, one transaction per batch. */
public final class JdbcSinkFactory implements SinkFactory {

    @Override
    public String type() {
        return "jdbc";
    }

    @Override
    public SinkConfig read(Section sink) {
        sink.onlyKeys("type", "url", "user", "password", "autoCreate", "autoEvolve", "batchSize", "noPrimaryKey");
        String url = sink.string("url", true, null);
        if (url != null && !url.startsWith("jdbc:")) {
            sink.error("url", "expected a JDBC URL (jdbc:postgresql://..., jdbc:mysql://..., jdbc:mariadb://..., jdbc:sqlserver://...)");
        }
        String noPrimaryKey = sink.oneOf("noPrimaryKey", "fail", Set.of("fail", "insert"));
        return new JdbcSinkConfig(url, sink.string("user", true, null), sink.secret("password", true),
                sink.bool("autoCreate", false), sink.bool("autoEvolve", false), sink.integer("batchSize", 1000, 1, 100_000),
                noPrimaryKey);
    }

    @Override
    public String destinationKey() {
        return "target";
    }

    @Override
    public BatchSink create(SinkContext c) {
        return new JdbcSink(c.spec().sink().config(JdbcSinkConfig.class), c.routing()::targetTableOf, c.counters());
    }

    /** sink.jdbc: the target answers and the connection may write. */
    @Override
    public void precheck(PipelineSpec spec, Prechecks checks) {
        JdbcSinkConfig k = spec.sink().config(JdbcSinkConfig.class);
        checks.check("sink.jdbc", () -> {
            try (Connection c = DriverManager.getConnection(k.url(), k.user(), k.password())) {
                if (c.isReadOnly() || c.getMetaData().isReadOnly()) {
                    throw new IllegalStateException("the target connection is read-only");
                }
                return c.getMetaData().getDatabaseProductName() + " " + c.getMetaData().getDatabaseProductVersion() + ", writable";
            }
        });
    }
}
