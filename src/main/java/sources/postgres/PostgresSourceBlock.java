package sources.postgres;

import io.debezium.connector.AbstractSourceInfo;
import io.debezium.connector.SnapshotRecord;
import io.debezium.connector.postgresql.SourceInfo;
import io.debezium.connector.postgresql.connection.Lsn;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import processors.SourceBlockValues;

import java.time.Instant;

/**
 * One change's PostgreSQL source block: the values Debezium's {@code PostgresSourceInfoStructMaker} would put, kept as
 * they were when the change was read (Debezium's {@link SourceInfo} moves on with the next change) and put into the
 * struct when it is first read or written. The struct's checks are not needed: each value is of its field's type by
 * construction (PostgresSourceBlocksTest compares every field with Debezium's block and validates it).
 */
public final class PostgresSourceBlock extends Struct implements SourceBlockValues {

    private final String connector;
    private final String version;
    private final String serverName;
    private final Instant timestamp;
    private final String database;
    private final SnapshotRecord snapshot;
    private final String schemaName;
    private final String tableName;
    private final Long txId;
    private final Lsn lsn;
    private final boolean positioned;
    private final Lsn lastCommitLsn;
    private final Long xmin;

    PostgresSourceBlock(Schema schema, String connector, String version, String serverName, SourceInfo info) {
        super(schema, true);
        this.connector = connector;
        this.version = version;
        this.serverName = serverName;
        this.timestamp = info.timestamp() == null ? Instant.now() : info.timestamp();
        this.database = info.database() == null ? "" : info.database();
        this.snapshot = info.snapshot();
        this.schemaName = info.schemaName();
        this.tableName = info.tableName();
        // an incremental snapshot's row has no txId, lsn or xmin field (its sequence still names the LSN)
        this.positioned = snapshot != SnapshotRecord.INCREMENTAL;
        this.txId = positioned ? info.txId() : null;
        this.lsn = info.lsn();
        this.xmin = positioned ? info.xmin() : null;
        this.lastCommitLsn = info.lastCommitLsn();
        // Debezium's maker asserts these, and a block that fills later must fail where Debezium's would
        if (schemaName == null || tableName == null) {
            throw new IllegalStateException("a source block without its schema or table: " + info);
        }
    }

    /** What PostgresSourceInfoStructMaker.struct puts, in its order. */
    @Override
    protected void fill(Object[] values) {
        Schema s = schema();
        values[s.field(AbstractSourceInfo.DEBEZIUM_VERSION_KEY).index()] = version;
        values[s.field(AbstractSourceInfo.DEBEZIUM_CONNECTOR_KEY).index()] = connector;
        values[s.field(AbstractSourceInfo.SERVER_NAME_KEY).index()] = serverName;
        values[s.field(AbstractSourceInfo.TIMESTAMP_KEY).index()] = timestamp.toEpochMilli();
        values[s.field(AbstractSourceInfo.DATABASE_NAME_KEY).index()] = database;
        values[s.field(AbstractSourceInfo.TIMESTAMP_US_KEY).index()] = timestamp.getEpochSecond() * 1_000_000 + timestamp.getNano() / 1_000;
        values[s.field(AbstractSourceInfo.TIMESTAMP_NS_KEY).index()] = timestamp.getEpochSecond() * 1_000_000_000L + timestamp.getNano();
        values[s.field(AbstractSourceInfo.SEQUENCE_KEY).index()] = SourceInfo.sequence(lastCommitLsn, lsn);
        if (snapshot != null && snapshot != SnapshotRecord.FALSE) {
            values[s.field(AbstractSourceInfo.SNAPSHOT_KEY).index()] = snapshot.name().toLowerCase();
        }
        values[s.field(SourceInfo.SCHEMA_NAME_KEY).index()] = schemaName;
        values[s.field(SourceInfo.TABLE_NAME_KEY).index()] = tableName;
        values[s.field(SourceInfo.TXID_KEY).index()] = txId;
        values[s.field(SourceInfo.LSN_KEY).index()] = lsn();
        values[s.field(SourceInfo.XMIN_KEY).index()] = xmin;
    }

    @Override
    public String connector() {
        return connector;
    }

    @Override
    public String database() {
        return database;
    }

    @Override
    public String schemaName() {
        return schemaName;
    }

    @Override
    public String tableName() {
        return tableName;
    }

    @Override
    public Object transaction() {
        return txId;
    }

    /** The block's {@code txId}. */
    public Long txId() {
        return txId;
    }

    /** The block's {@code lsn}. */
    public Long lsn() {
        return positioned && lsn != null ? lsn.asLong() : null;
    }

    /** The block's {@code xmin}. */
    public Long xmin() {
        return xmin;
    }

    /** The block's {@code ts_ms}. */
    public long timestampMillis() {
        return timestamp.toEpochMilli();
    }

    @Override
    public String logPosition() {
        Long position = lsn();
        return position == null ? null : position.toString();
    }

    @Override
    public Instant commitTime() {
        return Instant.ofEpochSecond(timestamp.getEpochSecond(), timestamp.getNano() / 1_000 * 1_000L);
    }

    @Override
    public String snapshot() {
        return snapshot == null || snapshot == SnapshotRecord.FALSE ? null : snapshot.name().toLowerCase();
    }
}
