package sources;

import config.PipelineSpec;
import config.PipelineSpec.ObjectSpec;
import config.Prechecks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/** The prechecks every source that is a database answers: it can be reached, and each listed table exists. */
public final class SourceChecks {

    private SourceChecks() {
    }

    /** source.connect; false when it failed (the rest would only repeat that the source cannot be reached). */
    public static boolean connect(Prechecks checks, String url, String user, String password) {
        return checks.check("source.connect", () -> {
            try (Connection c = DriverManager.getConnection(url, user, password)) {
                return c.getMetaData().getDatabaseProductName() + " " + c.getMetaData().getDatabaseProductVersion() + " as " + user;
            }
        });
    }

    /** source.tables: each object's table (or at least one table of a pattern's) exists. */
    public static void tables(Prechecks checks, PipelineSpec spec, String url, String user, String password, boolean catalogIsDatabase) {
        checks.check("source.tables", () -> {
            try (Connection c = DriverManager.getConnection(url, user, password)) {
                List<String> found = new ArrayList<>();
                for (ObjectSpec o : spec.objects()) {
                    String pattern = o.table().replace("*", "%");
                    int n = 0;
                    try (ResultSet rs = catalogIsDatabase ? c.getMetaData().getTables(o.schema(), null, pattern, new String[]{"TABLE"})
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

    /** The first column of the first row of {@code sql}, or null. */
    public static String single(String url, String user, String password, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url, user, password); java.sql.Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
