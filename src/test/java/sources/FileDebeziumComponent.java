package sources;

import io.debezium.config.Configuration;
import org.apache.camel.component.debezium.DebeziumComponent;
import org.apache.camel.component.debezium.DebeziumEndpoint;
import org.apache.camel.component.debezium.configuration.ConfigurationValidation;
import org.apache.camel.component.debezium.configuration.EmbeddedDebeziumConfiguration;
import org.apache.kafka.connect.file.FileStreamSourceConnector;

/**
 * {@code debezium-file:NAME?file=PATH} — a camel-debezium component around Kafka Connect's file source (one record per
 * line, the offset its position in the file): the Debezium engine without a database, as camel-debezium tests its
 * own consumer. {@code cdc:debezium-file:...} runs Tributary's batch consumer on it.
 */
public class FileDebeziumComponent extends DebeziumComponent<FileDebeziumComponent.Config> {

    private Config configuration = new Config();

    @Override
    protected DebeziumEndpoint<Config> initializeDebeziumEndpoint(String uri, Config configuration) {
        return new Endpoint(uri, this, configuration);
    }

    /** The URI's options set on a copy of the configuration by reflection (the stock components use generated configurers). */
    @Override
    protected DebeziumEndpoint<Config> createEndpoint(String uri, String remaining, java.util.Map<String, Object> parameters)
            throws Exception {
        Config config = (Config) configuration.copy();
        config.setName(remaining);
        setProperties(config, parameters);
        return initializeDebeziumEndpoint(uri, config);
    }

    @Override
    public Config getConfiguration() {
        return configuration;
    }

    @Override
    public void setConfiguration(Config configuration) {
        this.configuration = configuration;
    }

    public static class Config extends EmbeddedDebeziumConfiguration {
        private String file;
        private String topic = "lines";
        private int maxBatchSize = 2048;
        private long pollIntervalMs = 500;

        @Override
        protected Class<?> configureConnectorClass() {
            return FileStreamSourceConnector.class;
        }

        @Override
        protected Configuration createConnectorConfiguration() {
            // the file source reads at most batch.size lines per poll: the engine's batch
            return Configuration.create().with("file", file).with("topic", topic).with("batch.size", maxBatchSize)
                    .with("poll.interval.ms", pollIntervalMs).build();
        }

        @Override
        protected ConfigurationValidation validateConnectorConfiguration() {
            return file == null ? ConfigurationValidation.notValid("file is required") : ConfigurationValidation.valid();
        }

        @Override
        public String getConnectorDatabaseType() {
            return "file";
        }

        public String getFile() {
            return file;
        }

        public void setFile(String file) {
            this.file = file;
        }

        public int getMaxBatchSize() {
            return maxBatchSize;
        }

        public void setMaxBatchSize(int maxBatchSize) {
            this.maxBatchSize = maxBatchSize;
        }

        public long getPollIntervalMs() {
            return pollIntervalMs;
        }

        public void setPollIntervalMs(long pollIntervalMs) {
            this.pollIntervalMs = pollIntervalMs;
        }

        public String getTopic() {
            return topic;
        }

        public void setTopic(String topic) {
            this.topic = topic;
        }
    }

    static class Endpoint extends DebeziumEndpoint<Config> {
        private Config configuration;

        Endpoint(String uri, FileDebeziumComponent component, Config configuration) {
            super(uri, component);
            this.configuration = configuration;
        }

        @Override
        public Config getConfiguration() {
            return configuration;
        }

        @Override
        public void setConfiguration(Config configuration) {
            this.configuration = configuration;
        }
    }
}
