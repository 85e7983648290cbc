package cluster;

import state.StaleOwnerException;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pipelines' state files in the state database: whole files in {@code tributary_state}, appended ones (the snapshot
 * ledger, dead letters) as one row per append in {@code tributary_state_appends}. Every write runs in one transaction
 * that first locks the pipeline's owner row <em>under the writer's epoch</em>: a claim and a write are ordered by that
 * lock, and a write from an older epoch finds no row and is refused ({@link StaleOwnerException}) with nothing written.
 */
public final class StateFiles {

    private final StateDatabase db;
    /** Per pipeline: the epoch and the seq of its last append committed from this node. */
    private final Map<String, long[]> lastAppend = new HashMap<>();

    StateFiles(StateDatabase db) {
        this.db = db;
    }

    /** Stores a state file if the pipeline is still owned under {@code epoch}, in one transaction with that check. */
    public synchronized void writeFile(String pipeline, long epoch, String file, byte[] content) throws IOException {
        fenced(pipeline, epoch, "store " + file, c -> {
            deleteAppends(c, pipeline, file); // the whole file replaces what was appended to it
            int rows;
            try (PreparedStatement ps = c.prepareStatement("UPDATE tributary_state SET content = ?, epoch = ? WHERE pipeline = ? AND file = ?")) {
                ps.setBytes(1, content);
                ps.setLong(2, epoch);
                ps.setString(3, pipeline);
                ps.setString(4, file);
                rows = ps.executeUpdate();
            }
            if (rows == 0) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO tributary_state (pipeline, file, content, epoch) VALUES (?, ?, ?, ?)")) {
                    ps.setString(1, pipeline);
                    ps.setString(2, file);
                    ps.setBytes(3, content);
                    ps.setLong(4, epoch);
                    ps.executeUpdate();
                }
            }
        });
    }

    /**
     * Appends to state files (path → bytes) if the pipeline is still owned under {@code epoch}, all in one transaction
     * with that check: each append is a row of {@code tributary_state_appends}, numbered after the pipeline's last one.
     */
    public synchronized void appendFiles(String pipeline, long epoch, Map<String, byte[]> appends) throws IOException {
        long[] last = lastAppend.get(pipeline);
        lastAppend.remove(pipeline); // back only once this transaction committed
        fenced(pipeline, epoch, "append to " + appends.keySet(), c -> {
            long seq;
            if (last != null && last[0] == epoch) {
                seq = last[1]; // the owner is the only writer under its epoch: no need to ask again
            } else {
                try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(seq), 0) FROM tributary_state_appends WHERE pipeline = ?")) {
                    ps.setString(1, pipeline);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        seq = rs.getLong(1);
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO tributary_state_appends (pipeline, file, seq, content, epoch) VALUES (?, ?, ?, ?, ?)")) {
                for (Map.Entry<String, byte[]> a : appends.entrySet()) {
                    ps.setString(1, pipeline);
                    ps.setString(2, a.getKey());
                    ps.setLong(3, ++seq);
                    ps.setBytes(4, a.getValue());
                    ps.setLong(5, epoch);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            lastAppend.put(pipeline, new long[]{epoch, seq});
        });
    }

    /** Removes a state file, or every file under a folder, if the pipeline is still owned under {@code epoch}. */
    public synchronized void deleteFiles(String pipeline, long epoch, String fileOrFolder) throws IOException {
        fenced(pipeline, epoch, "delete " + fileOrFolder, c -> {
            for (String table : List.of("tributary_state", "tributary_state_appends")) {
                List<String> files = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT file FROM " + table + " WHERE pipeline = ?")) {
                    ps.setString(1, pipeline);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            String f = rs.getString(1);
                            if (f.equals(fileOrFolder) || f.startsWith(fileOrFolder + "/")) {
                                files.add(f);
                            }
                        }
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE pipeline = ? AND file = ?")) {
                    for (String f : files) {
                        ps.setString(1, pipeline);
                        ps.setString(2, f);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
        });
    }

    private static void deleteAppends(Connection c, String pipeline, String file) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM tributary_state_appends WHERE pipeline = ? AND file = ?")) {
            ps.setString(1, pipeline);
            ps.setString(2, file);
            ps.executeUpdate();
        }
    }

    private interface StateWork {
        void run(Connection c) throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction that first locks the owner row under {@code epoch}: a claim and a write are
     * ordered by that lock, and a write from an older epoch finds no row and is refused with nothing written.
     */
    private void fenced(String pipeline, long epoch, String what, StateWork work) throws IOException {
        try {
            long current = db.transaction(c -> {
                try (PreparedStatement lock = c.prepareStatement("UPDATE tributary_owners SET epoch = epoch WHERE pipeline = ? AND epoch = ?")) {
                    lock.setString(1, pipeline);
                    lock.setLong(2, epoch);
                    if (lock.executeUpdate() == 0) {
                        return StateDatabase.owner(c, pipeline).map(StateDatabase.Owner::epoch).orElse(0L); // nothing written
                    }
                }
                faults.FaultPoints.reached(faults.FaultPoints.STATE_OWNER_LOCKED);
                work.run(c);
                return epoch;
            });
            if (current != epoch) {
                throw new StaleOwnerException(pipeline, epoch, current);
            }
        } catch (SQLException e) {
            throw new IOException("state database: cannot " + what + " of pipeline '" + pipeline + "': " + e.getMessage(), e);
        }
    }

    /** A pipeline's state files, by path relative to its folder: each whole file followed by what was appended to it since. */
    public synchronized Map<String, byte[]> files(String pipeline) throws SQLException {
        return db.transaction(c -> {
            Map<String, java.io.ByteArrayOutputStream> files = new java.util.TreeMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT file, content FROM tributary_state WHERE pipeline = ?")) {
                ps.setString(1, pipeline);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        files.computeIfAbsent(rs.getString(1), f -> new java.io.ByteArrayOutputStream()).writeBytes(rs.getBytes(2));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT file, content FROM tributary_state_appends WHERE pipeline = ? ORDER BY seq")) {
                ps.setString(1, pipeline);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        files.computeIfAbsent(rs.getString(1), f -> new java.io.ByteArrayOutputStream()).writeBytes(rs.getBytes(2));
                    }
                }
            }
            Map<String, byte[]> all = new LinkedHashMap<>();
            files.forEach((f, bytes) -> all.put(f, bytes.toByteArray()));
            return all;
        });
    }
}
