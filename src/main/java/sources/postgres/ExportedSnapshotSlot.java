package sources.postgres;

import sources.SnapshotOffsets;
import sources.StartCheck;

import java.util.Properties;

/**
 * Before Debezium takes its snapshot, drops the pipeline's slot when one exists that no connection holds — left by a
 * start that committed nothing (a crash, a cluster hand-over). Debezium exports a snapshot only from a slot it creates;
 * with an existing one it snapshots at a later point than the stream starts, and the changes in between arrive twice
 * (or one committed as the snapshot began is missed). Dropping loses nothing: no offset after a finished snapshot was
 * committed from that slot, and the snapshot about to be taken holds what it retained.
 * <p>Only where Debezium takes the snapshot: not beside a parallel snapshot, which drops its stale slot itself and whose
 * finished snapshot leaves the engine without an offset until it streams. The connection, slot and snapshot mode come
 * from the engine's properties; in a route: {@code startCheck=#bean:NAME} on the {@code cdc:debezium-postgres} endpoint.
 */
public class ExportedSnapshotSlot implements StartCheck {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ExportedSnapshotSlot.class);

    @Override
    public void check(Properties engine) throws Exception {
        if ("initial_only".equals(engine.getProperty("snapshot.mode")) || !SnapshotOffsets.snapshotAhead(engine)) {
            return; // no stream after the snapshot, or no snapshot ahead
        }
        String slot = engine.getProperty("slot.name", "debezium");
        PostgresTables db = new PostgresTables(engine.getProperty("database.hostname"), Integer.parseInt(engine.getProperty("database.port", "5432")),
                engine.getProperty("database.dbname"), engine.getProperty("database.user"), engine.getProperty("database.password"));
        if (db.dropIdleSlot(slot)) {
            LOG.warn("{}: dropped replication slot {}, left by a start that did not finish its snapshot; the snapshot starts over"
                    + " from a new one", engine.getProperty("name"), slot);
        }
    }
}
