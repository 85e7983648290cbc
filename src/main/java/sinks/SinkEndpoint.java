package sinks;

import config.PipelineSpec;
import config.SinkTypes;
import formats.FormatSpec;
import formats.Formats;
import model.TableId;
import model.TableRouting;
import org.apache.camel.Component;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.DefaultProducer;
import org.apache.camel.support.service.ServiceHelper;
import sinks.DeadLetters;
import counters.PipelineCounters;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sink plug-in as a Camel endpoint, for hand-written routes: {@code to: tributary-jdbc:copy?url=...}. The body is a
 * batch ({@code List<ChangeEvent>}); the exchange completes only when the target acknowledged every change, as in a
 * pipeline. The endpoint's options are the plug-in's {@code sink:} keys (validated by the plug-in, every problem named)
 * plus where each table goes ({@code topic}, {@code target} or {@code folder} templates with {@code {schema}} and
 * {@code {table}}).
 */
public abstract class SinkEndpoint extends DefaultEndpoint {

    @UriPath(description = "A name for this sink: its state folder under stateDir, and its logs")
    @Metadata(required = true)
    private String name;
    @UriParam(defaultValue = "debezium", enums = "debezium,canal,maxwell,oms-default,oms-extend,dataworks,shareplex,json-row",
            description = "The format of messages and file records")
    private String format = "debezium";
    @UriParam(defaultValue = "data", description = "The folder that holds the sink's state (part files in progress, dead letters)")
    private String stateDir = "data";
    @UriParam(defaultValue = "false", description = "Every row message carries its sequence number inside its source transaction")
    private boolean transactionSequence;
    @UriParam(description = "1-20 characters carried in every message (OMS formats)")
    private String businessSystemId;
    @UriParam(defaultValue = "false", description = "Schema changes become messages, in the formats that carry them")
    private boolean ddl;
    @UriParam(defaultValue = "split", enums = "split,combined",
            description = "dataworks: an update as two messages (UPDATE_BEFOR, UPDATE_AFTER) or one with both images")
    private String updateMode = "split";
    @UriParam(defaultValue = "false", description = "dataworks: decimals typed STRING with their exact text")
    private boolean decimalAsString;
    @UriParam(defaultValue = "false", description = "shareplex: numbers and booleans as JSON numbers and booleans, not text")
    private boolean typedValues;
    @UriParam(defaultValue = "0", description = "oms-default, oms-extend, dataworks: a heartbeat record to every topic after this many ms without a message; 0 = none")
    private int heartbeatIntervalMs;
    @UriParam(label = "routing", description = "Where each table goes, per table (#bean:name of a model.TableRouting, e.g. a"
            + " blocks.Objects bean); instead of the topic, target or folder template and shardingColumns")
    private TableRouting routing;
    @UriParam(label = "advanced", prefix = "option.", multiValue = true,
            description = "The sink's options: option.NAME=value (the Kafka sink: any camel-kafka option)")
    private Map<String, Object> options;

    private final PipelineCounters counters = new PipelineCounters();

    protected SinkEndpoint(String uri, Component component) {
        super(uri, component);
    }

    /** The sink plug-in's type name. */
    protected abstract String type();

    /**
     * The {@code sink:} keys set on this endpoint, read from its {@code @UriParam} fields (unset ones left out: the
     * plug-in's defaults apply). Label {@code routing}: where tables go, not a sink key; label {@code tuning}: one of the
     * sink's {@code options}.
     */
    Map<String, Object> sinkKeys() {
        Map<String, Object> keys = new LinkedHashMap<>();
        Map<String, Object> options = new LinkedHashMap<>();
        for (Class<?> c = getClass(); c != SinkEndpoint.class; c = c.getSuperclass()) {
            for (java.lang.reflect.Field f : c.getDeclaredFields()) {
                UriParam param = f.getAnnotation(UriParam.class);
                if (param == null || "routing".equals(param.label())) {
                    continue;
                }
                Object value;
                try {
                    f.setAccessible(true);
                    value = f.get(this);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
                if (value != null) {
                    if ("tuning".equals(param.label())) {
                        options.put(f.getName(), String.valueOf(value));
                    } else {
                        keys.put(f.getName(), value);
                    }
                }
            }
        }
        if (this.options != null) {
            this.options.forEach((k, v) -> options.put(k, String.valueOf(v)));
        }
        if (!options.isEmpty()) {
            keys.put("options", options);
        }
        return keys;
    }

    /** Where each table's changes go, from the endpoint's templates (when no {@code routing} bean is given). */
    protected abstract TableRouting templateRouting();

    @Override
    public Producer createProducer() {
        String origin = type() + " endpoint " + name;
        PipelineSpec.SinkSpec sink = SinkTypes.read(origin, type(), sinkKeys(), name);
        FormatSpec formatSpec = new FormatSpec(format, transactionSequence, businessSystemId, ddl, !"combined".equals(updateMode),
                decimalAsString, typedValues, heartbeatIntervalMs);
        PipelineSpec spec = new PipelineSpec(name, null, PipelineSpec.Mode.INCREMENTAL, null, List.of(), formatSpec, sink, null,
                new PipelineSpec.BatchPolicy(2048, 100), null, null);
        Path state = Path.of(stateDir).resolve(name).toAbsolutePath();
        BatchSink batchSink = SinkFactory.of(type()).create(new SinkContext(getCamelContext(), spec, Formats.create(formatSpec),
                routing != null ? routing : templateRouting(),
                counters, state, () -> new DeadLetters(state.resolve("dead-letters.jsonl"), counters)));
        return new DefaultProducer(this) {
            @Override
            public void process(Exchange exchange) throws Exception {
                batchSink.process(exchange);
            }

            @Override
            protected void doStart() throws Exception {
                java.nio.file.Files.createDirectories(state);
                ServiceHelper.startService(batchSink);
            }

            @Override
            protected void doStop() {
                ServiceHelper.stopService(batchSink);
            }
        };
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException(getEndpointUri() + ": a sink endpoint only receives (use it in to:)");
    }

    /** A template with {@code {schema}} and {@code {table}} (and {@code {database}}) applied to a table. */
    protected static String apply(String template, TableId table) {
        return template.replace("{schema}", String.valueOf(table.namespace())).replace("{database}", String.valueOf(table.database()))
                .replace("{table}", table.table());
    }

    /** Routing from templates; a sink asks only for what it uses. */
    protected static TableRouting routing(String topic, String target, String folder, String shardingColumns) {
        List<String> sharding = shardingColumns == null || shardingColumns.isBlank() ? List.of()
                : List.of(shardingColumns.trim().split("[,\\s]+"));
        return new TableRouting() {
            @Override
            public String topicOf(TableId table) {
                return apply(topic, table);
            }

            @Override
            public List<String> shardingColumnsOf(TableId table) {
                return sharding;
            }

            @Override
            public String targetTableOf(TableId table) {
                return target == null ? table.table() : apply(target, table);
            }

            @Override
            public String folderOf(TableId table) {
                return apply(folder == null ? "{database}/{table}" : folder, table);
            }
        };
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getFormat() {
        return format;
    }

    public void setFormat(String format) {
        this.format = format;
    }

    public boolean isTransactionSequence() {
        return transactionSequence;
    }

    public void setTransactionSequence(boolean transactionSequence) {
        this.transactionSequence = transactionSequence;
    }

    public String getBusinessSystemId() {
        return businessSystemId;
    }

    public void setBusinessSystemId(String businessSystemId) {
        this.businessSystemId = businessSystemId;
    }

    public boolean isDdl() {
        return ddl;
    }

    public void setDdl(boolean ddl) {
        this.ddl = ddl;
    }

    public String getUpdateMode() {
        return updateMode;
    }

    public void setUpdateMode(String updateMode) {
        this.updateMode = updateMode;
    }

    public boolean isDecimalAsString() {
        return decimalAsString;
    }

    public void setDecimalAsString(boolean decimalAsString) {
        this.decimalAsString = decimalAsString;
    }

    public boolean isTypedValues() {
        return typedValues;
    }

    public void setTypedValues(boolean typedValues) {
        this.typedValues = typedValues;
    }

    public int getHeartbeatIntervalMs() {
        return heartbeatIntervalMs;
    }

    public void setHeartbeatIntervalMs(int heartbeatIntervalMs) {
        this.heartbeatIntervalMs = heartbeatIntervalMs;
    }

    public Map<String, Object> getOptions() {
        return options;
    }

    public void setOptions(Map<String, Object> options) {
        this.options = options;
    }

    public TableRouting getRouting() {
        return routing;
    }

    public void setRouting(TableRouting routing) {
        this.routing = routing;
    }

    public String getStateDir() {
        return stateDir;
    }

    public void setStateDir(String stateDir) {
        this.stateDir = stateDir;
    }

}
