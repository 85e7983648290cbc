package testsupport;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An application writing to the source throughout a fault test: inserts, updates and deletes over several tables
 * {@code (id int primary key, v varchar(40), n int)}, single-row and multi-row transactions, at a paced rate. Every
 * update adds one to {@code n}, so a destination's changes of one row must show n rising by one at a time (a replay
 * after a crash starts again lower; a jump means a change was skipped or reordered). Ids are never reused.
 */
public final class ChangeWriter implements AutoCloseable {

    public interface Connector {
        Connection connect() throws SQLException;
    }

    private final Connector db;
    private final List<String> tables;
    private final int ratePerSecond;
    private final Random random;
    private final List<List<Integer>> live = new ArrayList<>();
    private final int[] nextId;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong changes = new AtomicLong();
    private final AtomicLong transactions = new AtomicLong();
    private final AtomicLong lostConnections = new AtomicLong();
    private Thread thread;
    private volatile Exception failure;
    /** For a polling source: the last-modified column's definition and what an update sets it to (null: none). */
    private String lastModifiedColumn;
    private String now;
    private boolean deletes = true;

    public ChangeWriter(Connector db, List<String> tables, int ratePerSecond, long seed) {
        this.db = db;
        this.tables = tables;
        this.ratePerSecond = ratePerSecond;
        this.random = new Random(seed);
        this.nextId = new int[tables.size()];
        tables.forEach(t -> live.add(new ArrayList<>()));
    }

    /**
     * Writes as a polled table needs it: every table gets a last-modified column ({@code column}: its definition, with
     * a default), every update sets it to {@code now}, and nothing is deleted (a polling source cannot see deletes).
     */
    public ChangeWriter forPolling(String column, String now) {
        this.lastModifiedColumn = column;
        this.now = now;
        this.deletes = false;
        return this;
    }

    /** Creates the tables with {@code rows} rows each (committed before any pipeline starts). */
    public ChangeWriter create(int rows, String varchar) throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            for (int t = 0; t < tables.size(); t++) {
                st.execute("CREATE TABLE " + tables.get(t) + " (id int PRIMARY KEY, v " + varchar + "(40) NOT NULL, n int NOT NULL"
                        + (lastModifiedColumn == null ? "" : ", " + lastModifiedColumn) + ")");
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + tables.get(t) + " (id, v, n) VALUES (?, ?, 0)")) {
                    for (int i = 1; i <= rows; i++) {
                        insert.setInt(1, i);
                        insert.setString(2, "initial " + i);
                        insert.addBatch();
                        live.get(t).add(i);
                    }
                    insert.executeBatch();
                }
                nextId[t] = rows + 1;
            }
        }
        return this;
    }

    public ChangeWriter start() {
        thread = new Thread(this::run, "change-writer");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    private void run() {
        long started = System.nanoTime();
        Connection c = null;
        while (!stop.get()) {
            try {
                if (c == null) {
                    c = db.connect();
                }
                boolean multi = random.nextInt(5) == 0;
                int ops = multi ? 2 + random.nextInt(19) : 1;
                c.setAutoCommit(!multi);
                List<Runnable> onCommit = new ArrayList<>();
                for (int i = 0; i < ops; i++) {
                    onCommit.add(change(c));
                }
                if (multi) {
                    c.commit();
                }
                onCommit.forEach(Runnable::run);
                changes.addAndGet(ops);
                transactions.incrementAndGet();
                long due = started + changes.get() * 1_000_000_000L / ratePerSecond;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            } catch (SQLException e) {
                // the source is away (a restart in the test): what this transaction did is unknown — the end check
                // reads the source itself — so connect again and go on
                lostConnections.incrementAndGet();
                closeQuietly(c);
                c = null;
                sleepQuietly(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                failure = e;
                break;
            }
        }
        closeQuietly(c);
    }

    private static void closeQuietly(Connection c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (SQLException ignored) {
            // a broken connection
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Transactions that failed because the source went away (their outcome is unknown to the writer). */
    public long lostConnections() {
        return lostConnections.get();
    }

    /** One change; what it does to the writer's list of live ids happens after the commit. */
    private Runnable change(Connection c) throws SQLException {
        int t = random.nextInt(tables.size());
        String table = tables.get(t);
        List<Integer> ids = live.get(t);
        int kind = random.nextInt(10);
        try (Statement st = c.createStatement()) {
            if (kind < 4 || ids.size() < 10 || kind >= 8 && !deletes) {
                int id = nextId[t]++;
                st.executeUpdate("INSERT INTO " + table + " (id, v, n) VALUES (" + id + ", 'inserted " + id + "', 0)");
                return () -> ids.add(id);
            }
            int at = random.nextInt(ids.size());
            int id = ids.get(at);
            if (kind < 8) {
                st.executeUpdate("UPDATE " + table + " SET n = n + 1, v = 'updated " + random.nextInt(1000) + "'"
                        + (now == null ? "" : ", ts = " + now) + " WHERE id = " + id);
                return () -> { };
            }
            ids.set(at, ids.get(ids.size() - 1));
            ids.remove(ids.size() - 1); // chosen no more in this transaction
            st.executeUpdate("DELETE FROM " + table + " WHERE id = " + id);
            return () -> { };
        }
    }

    /** Changes committed so far. */
    public long changes() {
        return changes.get();
    }

    public long transactions() {
        return transactions.get();
    }

    @Override
    public void close() throws Exception {
        stop.set(true);
        if (thread != null) {
            thread.join(30_000);
        }
        if (failure != null) {
            throw new IllegalStateException("the writer failed", failure);
        }
    }
}
