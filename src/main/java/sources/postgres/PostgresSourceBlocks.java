package sources.postgres;

import io.debezium.config.CommonConnectorConfig;
import io.debezium.connector.postgresql.PostgresSourceInfoStructMaker;
import io.debezium.connector.postgresql.SourceInfo;
import org.apache.kafka.connect.data.Struct;

/**
 * Debezium's PostgreSQL source block maker, set as the connector's {@code sourceinfo.struct.maker}: the same schema
 * and the same values as Debezium's own, but each change's block keeps the dozen values it needs and fills its struct
 * only when something reads it ({@link PostgresSourceBlock}). Debezium builds the block for every change — each field
 * put by name and checked, the sequence text, three timestamps — on the connector's reading thread, and in Tributary's
 * pipelines only the normalizer reads it, through {@link processors.SourceBlockValues} (docs/performance.md, "The
 * source block: kept, filled when read"). Written by hand: Debezium has no lazy block.
 */
public class PostgresSourceBlocks extends PostgresSourceInfoStructMaker {

    private String connector;
    private String version;
    private String serverName;

    @Override
    public void init(String connector, String version, CommonConnectorConfig connectorConfig) {
        super.init(connector, version, connectorConfig);
        this.connector = connector;
        this.version = version;
        this.serverName = connectorConfig.getLogicalName();
    }

    @Override
    public Struct struct(SourceInfo sourceInfo) {
        return new PostgresSourceBlock(schema(), connector, version, serverName, sourceInfo);
    }
}
