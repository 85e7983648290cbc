package testsupport;

/** Pipeline files the tests share. */
public final class PipelineFiles {

    private PipelineFiles() {
    }

    /** PostgreSQL (the shared server) → Kafka (the shared broker), format debezium; {@code tableTopic}: table, topic, ... */
    public static String postgresToKafka(String name, String database, int port, String mode, String... tableTopic) {
        StringBuilder objects = new StringBuilder();
        for (int i = 0; i < tableTopic.length; i += 2) {
            objects.append("  - table: ").append(tableTopic[i]).append("\n    topic: ").append(tableTopic[i + 1]).append('\n');
        }
        return """
                pipeline: %s
                source: {type: postgres, host: localhost, port: %d, database: %s, user: postgres, password: "s3cret-Pw"}
                mode: %s
                objects:
                %sformat: debezium
                sink: {type: kafka, brokers: "%s"}
                errors: {retries: 3, retryDelayMs: 200}
                """.formatted(name, port, database, mode, objects, TestServers.kafka().bootstrap());
    }
}
