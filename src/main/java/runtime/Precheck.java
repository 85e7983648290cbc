package runtime;

import config.PipelineSpec;
import config.PipelineSpec.ObjectSpec;
import config.PipelineSpec.SourceSpec;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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

    // ---- source ----

    private void source() {
        SourceSpec s = spec.source();
        String url = s.polling() != null ? s.polling().url() : sources.SourceColumns.url(s);
        check("source.connect", () -> {
            try (Connection c = DriverManager.getConnection(url, s.user(), s.password())) {
                return c.getMetaData().getDatabaseProductName() + " " + c.getMetaData().getDatabaseProductVersion() + " as " + s.user();
            }
        });
        if (checks.get(checks.size() - 1).result() == Result.FAIL) {
            return; // the rest would only repeat that the source cannot be reached
        }
        if ("postgres".equals(s.type())) {
            postgres(url, s);
        } else if (s.isBinlog()) {
            binlog(url, s);
        }
        check("source.tables", () -> {
            try (Connection c = DriverManager.getConnection(url, s.user(), s.password())) {
                List<String> found = new ArrayList<>();
                for (ObjectSpec o : spec.objects()) {
                    String pattern = o.table().replace("*", "%");
                    int n = 0;
                    try (ResultSet rs = s.isBinlog() ? c.getMetaData().getTables(o.schema(), null, pattern, new String[]{"TABLE"})
                            : c.getMetaData().getTables(null, o.schema(), pattern, new String[]{"TABLE"})) {
                        while (rs.next()) {
                            n++;
                        }
                    }
                    if (n == 0 && !o.table().contains("*")) {
                        throw new IllegalStateException("table " + o.schema() + "." + o.table() + " does not exist");
                    }
                    found.add(o.schema() + "." + o.table() + ": " + n);
                }
                return String.join(", ", found);
            }
        });
    }

    private void postgres(String url, SourceSpec s) {
        check("source.wal_level", () -> {
            String level = single(url, s, "SHOW wal_level");
            if (!"logical".equals(level)) {
                throw new IllegalStateException("wal_level is " + level + ", must be logical (ALTER SYSTEM SET wal_level = logical; restart)");
            }
            return "logical";
        });
        check("source.replication_privilege", () -> {
            String ok = single(url, s, "SELECT rolreplication OR rolsuper FROM pg_roles WHERE rolname = current_user");
            if (!"t".equals(ok) && !"true".equals(ok)) {
                throw new IllegalStateException("user " + s.user() + " lacks REPLICATION (ALTER ROLE " + s.user() + " REPLICATION)");
            }
            return "user " + s.user() + " may replicate";
        });
        check("source.slot", () -> {
            try (Connection c = DriverManager.getConnection(url, s.user(), s.password());
                 PreparedStatement st = c.prepareStatement("SELECT plugin, active, database FROM pg_replication_slots WHERE slot_name = ?")) {
                st.setString(1, s.slot());
                try (ResultSet rs = st.executeQuery()) {
                    if (!rs.next()) {
                        return "slot " + s.slot() + " does not exist yet: the pipeline creates it at its first start";
                    }
                    if (!"pgoutput".equals(rs.getString(1)) || !s.database().equals(rs.getString(3))) {
                        throw new IllegalStateException("slot " + s.slot() + " exists for plugin " + rs.getString(1) + " in database "
                                + rs.getString(3) + ": another reader's? choose source.slot");
                    }
                    return "slot " + s.slot() + " exists (pgoutput, " + (rs.getBoolean(2) ? "in use" : "idle") + "): the pipeline resumes from it";
                }
            }
        });
        check("source.publication", () -> {
            try (Connection c = DriverManager.getConnection(url, s.user(), s.password());
                 PreparedStatement st = c.prepareStatement("SELECT count(*) FROM pg_publication WHERE pubname = ?")) {
                st.setString(1, s.publication());
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    return "publication " + s.publication() + (rs.getInt(1) > 0 ? " exists" : " does not exist yet: the pipeline creates it");
                }
            }
        });
    }

    private void binlog(String url, SourceSpec s) {
        check("source.binlog", () -> {
            try (Connection c = DriverManager.getConnection(url, s.user(), s.password()); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT @@log_bin, @@binlog_format, @@binlog_row_image")) {
                rs.next();
                List<String> wrong = new ArrayList<>();
                if (!"1".equals(rs.getString(1)) && !"ON".equalsIgnoreCase(rs.getString(1))) {
                    wrong.add("log_bin is off");
                }
                if (!"ROW".equalsIgnoreCase(rs.getString(2))) {
                    wrong.add("binlog_format is " + rs.getString(2) + ", must be ROW");
                }
                if (!"FULL".equalsIgnoreCase(rs.getString(3))) {
                    wrong.add("binlog_row_image is " + rs.getString(3) + ", must be FULL");
                }
                if (!wrong.isEmpty()) {
                    throw new IllegalStateException(String.join("; ", wrong));
                }
                return "log_bin ON, binlog_format ROW, binlog_row_image FULL";
            }
        });
        check("source.grants", () -> {
            StringBuilder grants = new StringBuilder();
            try (Connection c = DriverManager.getConnection(url, s.user(), s.password()); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SHOW GRANTS")) {
                while (rs.next()) {
                    grants.append(rs.getString(1).toUpperCase(Locale.ROOT)).append('\n');
                }
            } catch (java.sql.SQLException e) {
                if (String.valueOf(e.getMessage()).contains("skip-grant-tables")) {
                    return "the server runs with --skip-grant-tables: every user may do everything";
                }
                throw e;
            }
            String g = grants.toString();
            boolean all = g.contains("ALL PRIVILEGES ON *.*");
            List<String> missing = new ArrayList<>();
            for (String need : new String[]{"REPLICATION SLAVE", "REPLICATION CLIENT", "SELECT"}) {
                String alt = need.equals("REPLICATION SLAVE") ? "REPLICATION REPLICA" : need.equals("REPLICATION CLIENT") ? "BINLOG MONITOR" : need;
                if (!all && !g.contains(need) && !g.contains(alt)) {
                    missing.add(need);
                }
            }
            if (!missing.isEmpty()) {
                throw new IllegalStateException("user " + s.user() + " lacks " + String.join(", ", missing) + " (GRANT SELECT, RELOAD, SHOW DATABASES, "
                        + "REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO ...)");
            }
            return all ? "ALL PRIVILEGES" : "SELECT, REPLICATION SLAVE, REPLICATION CLIENT";
        });
    }

    private static String single(String url, SourceSpec s, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url, s.user(), s.password()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    // ---- sink ----

    private void sink() {
        sinks.SinkFactory.of(spec.sink().type()).precheck(spec, (name, probe) -> {
            check(name, probe::run);
            return checks.get(checks.size() - 1).result() != Result.FAIL;
        });
    }
}
