package sources.binlog;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sources.OffsetSeed;
import sources.StartCheck;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Where a binlog source in mode incremental begins, stored as the engine's offset before its first start — Debezium
 * itself stores a binlog position only with its first delivered change (or heartbeat), and cannot seek by time:
 * <ul>
 * <li>without {@code startTimestamp}: the server's current position, so a pipeline stopped before its first change
 * still resumes from where it began and misses nothing written in between;</li>
 * <li>with {@code startTimestamp}: the beginning of the binlog file that holds the instant; a
 * {@link processors.CommitTimeFilter} step drops that file's earlier changes.</li>
 * </ul>
 * A stored position always wins. While the schema history is not written yet (this start, or one stopped before it
 * was) the engine rebuilds it from the tables and reads no rows ({@code snapshot.mode=recovery}).
 * <p>
 * The connection (host, port, user, password, replica id) and the flavour (MariaDB: positions carry GTIDs) come from
 * the engine's own properties, so in a hand-written route the bean needs at most the instant:
 * {@code cdc:debezium-mysql:NAME?snapshotMode=no_data&startCheck=#bean:NAME}.
 */
public class BinlogStart implements StartCheck {

    private static final Logger LOG = LoggerFactory.getLogger(BinlogStart.class);

    private Instant startTimestamp;

    public String getStartTimestamp() {
        return startTimestamp == null ? null : startTimestamp.toString();
    }

    /** The instant to begin at, ISO-8601 with offset (e.g. {@code 2026-11-22T08:00:00Z}); unset: the current position. */
    public void setStartTimestamp(String startTimestamp) {
        try {
            this.startTimestamp = startTimestamp == null || startTimestamp.isBlank() ? null : OffsetDateTime.parse(startTimestamp).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("BinlogStart.startTimestamp: '" + startTimestamp
                    + "' is not an ISO-8601 date-time with offset (e.g. 2026-11-22T08:00:00Z)");
        }
    }

    /** As {@link #setStartTimestamp(String)}. */
    public BinlogStart startTimestamp(Instant startTimestamp) {
        this.startTimestamp = startTimestamp;
        return this;
    }

    @Override
    public void check(Properties engine) throws Exception {
        String name = engine.getProperty("name");
        if (!OffsetSeed.absent(engine)) {
            if (noSchemaHistory(engine)) {
                engine.setProperty("snapshot.mode", "recovery");
            }
            return; // started before: the stored position wins
        }
        BinlogSeek seek = new BinlogSeek(engine.getProperty("database.hostname"), Integer.parseInt(engine.getProperty("database.port", "3306")),
                engine.getProperty("database.user"), engine.getProperty("database.password"),
                Long.parseLong(engine.getProperty("database.server.id", "1")) + 1);
        boolean gtids = engine.getProperty("connector.class", "").contains("mariadb");
        Map<String, Object> offset = new LinkedHashMap<>();
        if (startTimestamp != null) {
            String file = seek.fileFor(startTimestamp);
            offset.put("file", file);
            offset.put("pos", 4L);
            if (gtids) {
                String state = seek.mariaDbGtidsAt(file);
                if (state.isBlank()) {
                    throw new IllegalStateException("startTimestamp " + startTimestamp + " lies in " + file + ", the server's first binlog"
                            + " file: MariaDB reports no GTID state at its start, and its binlog client cannot begin there by GTID; give"
                            + " a later startTimestamp, or take a snapshot (mode full-and-incremental)");
                }
                offset.put("gtids", state);
            }
            LOG.info("{}: startTimestamp {} → binlog {} from its start", name, startTimestamp, file);
        } else {
            Map.Entry<String, Long> at;
            try {
                at = seek.current();
            } catch (Exception e) {
                LOG.warn("{}: cannot read the binlog position ({}); Debezium stores it with the first change", name, e.getMessage());
                return;
            }
            offset.put("file", at.getKey());
            offset.put("pos", at.getValue());
            if (gtids) {
                String state = seek.mariaDbGtidsAt(at.getKey(), at.getValue());
                if (state.isBlank()) { // no transaction on the server yet: nothing to miss, Debezium starts at the current position
                    LOG.info("{}: no GTID on the server yet; Debezium stores the position with its first records", name);
                    return;
                }
                offset.put("gtids", state);
            }
            LOG.info("{}: starts at binlog {}:{}", name, at.getKey(), at.getValue());
        }
        OffsetSeed.write(engine, Map.of("server", engine.getProperty("topic.prefix")), offset);
        engine.setProperty("snapshot.mode", "recovery");
    }

    static boolean noSchemaHistory(Properties engine) throws java.io.IOException {
        String history = engine.getProperty("schema.history.internal.file.filename");
        return history == null || !Files.exists(Path.of(history)) || Files.size(Path.of(history)) == 0;
    }
}
