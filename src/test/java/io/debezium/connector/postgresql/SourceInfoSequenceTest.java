package io.debezium.connector.postgresql;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.debezium.config.Configuration;
import io.debezium.connector.postgresql.connection.Lsn;
import io.debezium.relational.TableId;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Tributary's SourceInfo writes the "sequence" field by hand: the same text as Debezium's Jackson list. */
class SourceInfoSequenceTest {

    private static final ObjectMapper JACKSON = new ObjectMapper();

    @Test
    void theSequenceIsWhatJacksonWritesForEveryMixOfKnownAndUnknownPositions() throws Exception {
        PostgresConnectorConfig config = new PostgresConnectorConfig(Configuration.create()
                .with("topic.prefix", "t").with("database.dbname", "d").with("database.hostname", "h").build());
        Lsn[] positions = {null, Lsn.valueOf(0L), Lsn.valueOf(1L), Lsn.valueOf(24_023_128L), Lsn.valueOf(Long.MAX_VALUE)};
        for (Lsn lastCommit : positions) {
            for (Lsn lsn : positions) {
                SourceInfo info = new SourceInfo(config);
                if (lastCommit != null) {
                    info.updateLastCommit(lastCommit);
                }
                info.update(lsn, Instant.EPOCH, 1L, null, new TableId(null, "public", "t"), null);
                String expected = JACKSON.writeValueAsString(Arrays.asList(
                        lastCommit == null ? null : Long.toString(lastCommit.asLong()), lsn == null ? null : Long.toString(lsn.asLong())));
                assertEquals(expected, info.sequence(), "last commit " + lastCommit + ", lsn " + lsn);
            }
        }
    }
}
