package sources.postgres;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * What the parallel snapshot shares with the Debezium engine that streams after it, read from the engine's own
 * properties: so a pipeline and a hand-written {@code cdc:debezium-postgres} route configure it once, on the endpoint.
 *
 * @param source      the connection, slot and publication the engine uses
 * @param pipeline    the changes' name ({@code topic.prefix})
 * @param include     Debezium's table include regexes ({@code schema.table}, whole name, any case)
 * @param streamAfter the engine streams after the snapshot ({@code snapshot.mode} other than {@code initial_only}):
 *                    the replication slot is created with the snapshot
 * @param batchSize   rows per batch ({@code max.batch.size})
 */
record SnapshotSettings(PostgresSourceConfig source, String pipeline, List<Pattern> include, boolean streamAfter, int batchSize) {

    static SnapshotSettings of(Properties engine) {
        String include = engine.getProperty("table.include.list");
        String offsets = engine.getProperty("offset.storage.file.filename");
        if (include == null || include.isBlank() || offsets == null) {
            throw new IllegalArgumentException("a parallel snapshot reads the endpoint's tableIncludeList and keeps its marker"
                    + " beside offsetStorageFileName: set both on the cdc: endpoint");
        }
        PostgresSourceConfig source = new PostgresSourceConfig(engine.getProperty("database.hostname"),
                Integer.parseInt(engine.getProperty("database.port", "5432")), engine.getProperty("database.dbname"),
                engine.getProperty("database.user"), engine.getProperty("database.password"),
                engine.getProperty("slot.name", "debezium"), engine.getProperty("publication.name", "dbz_publication"), false, Map.of());
        return new SnapshotSettings(source, engine.getProperty("topic.prefix"), sources.ParallelSnapshot.includePatterns(include),
                !"initial_only".equals(engine.getProperty("snapshot.mode")), Integer.parseInt(engine.getProperty("max.batch.size", "2048")));
    }
}
