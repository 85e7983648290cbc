package state;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Cluster mode: a server-side limit on how long this connection may sit idle inside a transaction. A node frozen (a
 * long GC pause, a stopped VM) in the middle of a transaction keeps its row locks — the owner row of the state database,
 * the JDBC sink's epoch row and data rows — and the node taking its pipelines over would wait on them until the frozen
 * one thaws. With the limit, the server ends the frozen node's session and its locks go. Each database names the
 * setting differently; the first one the server accepts is used (PostgreSQL's {@code idle_in_transaction_session_timeout},
 * MariaDB's {@code idle_transaction_timeout}, else MySQL's {@code wait_timeout}, which ends any idle session).
 */
public final class IdleTransactions {

    private static final Logger LOG = LoggerFactory.getLogger(IdleTransactions.class);

    private IdleTransactions() {
    }

    /** Sets the limit on a connection still in auto-commit mode; logs once per connection when no setting is known. */
    public static void limit(Connection c, long millis) {
        long seconds = Math.max(1, (millis + 999) / 1000);
        for (String sql : new String[]{"SET idle_in_transaction_session_timeout = " + millis,
                "SET SESSION idle_transaction_timeout = " + seconds, "SET SESSION wait_timeout = " + seconds}) {
            try (Statement st = c.createStatement()) {
                st.execute(sql);
                return;
            } catch (SQLException unknownHere) {
                // another database's name for it
            }
        }
        LOG.warn("this database accepts no idle-transaction limit: a frozen node may hold its row locks until its connection dies");
    }
}
