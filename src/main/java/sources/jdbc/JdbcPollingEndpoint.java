package sources.jdbc;

import config.PipelineSpec;
import config.PipelineSpec.ObjectSpec;
import config.Section;
import config.TableSettings;
import org.apache.camel.Category;
import org.apache.camel.Component;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JDBC polling source: any database read with SQL, table by table, by an incrementing and/or last-modified column
 * (or whole, bulk). One exchange per table batch, its body a list of ChangeEvent; the watermarks are saved only after
 * the route completed the exchange. A pipeline builds it from its file, a hand-written route from its URI options.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "tributary-jdbc-poll", title = "Tributary JDBC polling source",
        syntax = "tributary-jdbc-poll:name", consumerOnly = true, category = {Category.DATABASE})
public class JdbcPollingEndpoint extends DefaultEndpoint {

    @UriPath(description = "A name for this source: its watermarks folder under stateDir, the pipeline name in its changes")
    @Metadata(required = true)
    private String name;
    @UriParam(description = "JDBC URL of the database to poll")
    @Metadata(required = true)
    private String url;
    @UriParam(description = "Database user")
    @Metadata(required = true)
    private String user;
    @UriParam(label = "security", secret = true, description = "Database password; ${env:NAME} reads it from the environment")
    @Metadata(required = true)
    private String password;
    @UriParam(description = "The tables, schema.table, comma-separated; each polled the same way")
    @Metadata(required = true)
    private String tables;
    @UriParam(enums = "incrementing,timestamp,timestamp+incrementing,bulk", description = "How new and changed rows are found")
    @Metadata(required = true)
    private String pollMode;
    @UriParam(description = "A strictly increasing column (incrementing modes)")
    private String incrementingColumn;
    @UriParam(description = "A last-modified column (timestamp modes)")
    private String timestampColumn;
    @UriParam(defaultValue = "full-and-incremental", enums = "full,incremental,full-and-incremental",
            description = "full: the rows there now, then the consumer completes; incremental: rows from now on; full-and-incremental: both")
    private String mode = "full-and-incremental";
    @UriParam(defaultValue = "1000", description = "Pause after a poll that found nothing new")
    private Integer pollIntervalMs;
    @UriParam(defaultValue = "0", description = "Timestamp modes: read only rows older than the database's now minus this")
    private Integer delayMs;
    @UriParam(defaultValue = "2048", description = "Most rows in one batch")
    private int maxEvents = 2048;
    @UriParam(defaultValue = "data", description = "The folder that holds the watermarks")
    private String stateDir = "data";

    private PipelineSpec spec;
    private Path state;

    /** A pipeline's polling source. */
    public JdbcPollingEndpoint(org.apache.camel.CamelContext camel, PipelineSpec spec, Path stateDir) {
        super("tributary-jdbc-poll:" + spec.name(), componentOf(camel));
        setCamelContext(camel);
        this.spec = spec;
        this.state = stateDir;
    }

    private static Component componentOf(org.apache.camel.CamelContext camel) {
        JdbcPollingComponent component = new JdbcPollingComponent();
        component.setCamelContext(camel);
        return component;
    }

    /** A hand-written route's, configured by its URI options. */
    public JdbcPollingEndpoint(String uri, Component component) {
        super(uri, component);
    }

    /** The endpoint's options read by the polling source plug-in, as a pipeline's {@code source:} and objects are. */
    private PipelineSpec specFromOptions() {
        String origin = "jdbc polling endpoint " + name;
        JdbcPollingSourceFactory plugin = new JdbcPollingSourceFactory();
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("url", url);
        source.put("user", user);
        source.put("password", password);
        if (pollIntervalMs != null) {
            source.put("pollIntervalMs", pollIntervalMs);
        }
        if (delayMs != null) {
            source.put("delayMs", delayMs);
        }
        source.values().removeIf(java.util.Objects::isNull);
        config.SourceConfig sourceConfig = Section.read(origin, "jdbc", source, name, plugin::read);
        PipelineSpec.Mode m = java.util.Arrays.stream(PipelineSpec.Mode.values()).filter(x -> x.key.equals(mode)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(origin + ": mode: '" + mode + "' is not full, incremental or full-and-incremental"));
        List<ObjectSpec> objects = new ArrayList<>();
        for (String table : (tables == null ? "" : tables).split("[,\\s]+")) {
            String[] parts = table.split("\\.", -1);
            if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
                throw new IllegalArgumentException(origin + ": tables: '" + table + "' is not schema.table");
            }
            Map<String, Object> keys = new LinkedHashMap<>();
            keys.put("pollMode", pollMode);
            keys.put("incrementingColumn", incrementingColumn);
            keys.put("timestampColumn", timestampColumn);
            keys.values().removeIf(java.util.Objects::isNull);
            TableSettings settings = Section.read(origin, null, keys, name, s -> plugin.readTable(s, parts[1], m));
            objects.add(new ObjectSpec(parts[0], parts[1], "-", List.of(), null, null, settings, null, List.of(), null));
        }
        return new PipelineSpec(name, new PipelineSpec.SourceSpec("jdbc", sourceConfig), m, null, objects, formats.FormatSpec.of("debezium"),
                null, null, new PipelineSpec.BatchPolicy(maxEvents, 100), null, null);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        if (spec == null) {
            spec = specFromOptions();
            state = Path.of(stateDir).resolve(name).toAbsolutePath();
        }
        JdbcPollingConsumer consumer = new JdbcPollingConsumer(this, processor, spec, state);
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException(getEndpointUri() + ": a polling source only reads (use it in from:)");
    }

    @Override
    public boolean isRemote() {
        return true;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public void setUser(String user) {
        this.user = user;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public void setTables(String tables) {
        this.tables = tables;
    }

    public void setPollMode(String pollMode) {
        this.pollMode = pollMode;
    }

    public void setIncrementingColumn(String incrementingColumn) {
        this.incrementingColumn = incrementingColumn;
    }

    public void setTimestampColumn(String timestampColumn) {
        this.timestampColumn = timestampColumn;
    }

    public void setMode(String mode) {
        this.mode = mode;
    }

    public void setPollIntervalMs(Integer pollIntervalMs) {
        this.pollIntervalMs = pollIntervalMs;
    }

    public void setDelayMs(Integer delayMs) {
        this.delayMs = delayMs;
    }

    public void setMaxEvents(int maxEvents) {
        this.maxEvents = maxEvents;
    }

    public void setStateDir(String stateDir) {
        this.stateDir = stateDir;
    }

    public String getUrl() {
        return url;
    }

    public String getUser() {
        return user;
    }

    public String getPassword() {
        return password;
    }

    public String getTables() {
        return tables;
    }

    public String getPollMode() {
        return pollMode;
    }

    public String getIncrementingColumn() {
        return incrementingColumn;
    }

    public String getTimestampColumn() {
        return timestampColumn;
    }

    public String getMode() {
        return mode;
    }

    public Integer getPollIntervalMs() {
        return pollIntervalMs;
    }

    public Integer getDelayMs() {
        return delayMs;
    }

    public int getMaxEvents() {
        return maxEvents;
    }

    public String getStateDir() {
        return stateDir;
    }
}
