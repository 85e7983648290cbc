package sources.postgres;

import model.TableId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Whether a PostgreSQL table logs whole old rows ({@code REPLICA IDENTITY FULL}). Asked once per table, on its first
 * delete; if the database cannot be asked, the answer is "no" — a key-only before image is incomplete but never wrong.
 */
public final class PostgresReplicaIdentity implements Predicate<TableId> {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresReplicaIdentity.class);

    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final Map<String, Boolean> full = new ConcurrentHashMap<>();

    public PostgresReplicaIdentity(String host, int port, String database, String user, String password) {
        this.jdbcUrl = "jdbc:postgresql://" + host + ":" + port + "/" + database;
        this.user = user;
        this.password = password;
    }

    @Override
    public boolean test(TableId table) {
        return full.computeIfAbsent(table.schema() + "." + table.table(), k -> lookUp(table));
    }

    private boolean lookUp(TableId table) {
        String sql = "SELECT c.relreplident FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = ?";
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password); PreparedStatement st = c.prepareStatement(sql)) {
            st.setString(1, table.schema());
            st.setString(2, table.table());
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() && "f".equals(rs.getString(1));
            }
        } catch (SQLException e) {
            LOG.warn("cannot read the replica identity of {} ({}); deletes will carry the key only", table.qualifiedName(), e.getMessage());
            return false;
        }
    }
}
