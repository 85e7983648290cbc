package processors;

import java.time.Instant;

/**
 * A Debezium change's {@code source} block that tells what a change's canonical position needs without filling in its
 * struct (PostgreSQL's: {@code sources.postgres.PostgresSourceBlock}). {@link DebeziumNormalizer} and the snapshot's
 * last-row check read a block this way when they can; anything else reads the struct, which then fills itself.
 */
public interface SourceBlockValues {

    /** The block's {@code connector}. */
    String connector();

    /** Its {@code db}. */
    String database();

    /** Its {@code schema}, or null when the connector has none. */
    String schemaName();

    /** Its {@code table}. */
    String tableName();

    /** The transaction's id as the struct holds it (a Long for PostgreSQL), or null. */
    Object transaction();

    /** The change's place in the log as {@link DebeziumNormalizer} writes it (PostgreSQL: the LSN as a number), or null. */
    String logPosition();

    /** The commit time the struct's {@code ts_us} holds (whole microseconds). */
    Instant commitTime();

    /** The struct's {@code snapshot} value ({@code true}, {@code last}, ...), or null when the change was streamed. */
    String snapshot();
}
