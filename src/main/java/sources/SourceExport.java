package sources;

import config.PipelineSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A pipeline's source written as the start of a Camel YAML route ({@code routes export}): the endpoint with its
 * parameters, the beans it needs and the steps after it (up to {@code List<ChangeEvent>}). A source plug-in fills it in
 * ({@link SourceFactory#export}).
 */
public final class SourceExport {

    private final PipelineSpec spec;
    private final Path stateDir;
    private final String objectsBean;
    private final String ledgerBean;
    private final Function<String, String> secret;
    private final boolean carriesDdl;
    private final int snapshotBatchesInFlight;
    private String from;
    private final Map<String, Object> parameters = new LinkedHashMap<>();
    private final List<Map<String, Object>> beans = new ArrayList<>();
    private final List<Map<String, Object>> steps = new ArrayList<>();

    /**
     * @param stateDir    the pipeline's folder under {@code --data}, as the exported route will use it
     * @param objectsBean the name of the route's {@code blocks.PipelineObjects} bean
     * @param ledgerBean  the name of the route's snapshot ledger bean, if the source asks for one ({@link #useLedger()})
     * @param secret      a secret's key path in the pipeline file ({@code source.password}) → the value the route writes
     *                    (a property placeholder: the secret itself never appears)
     * @param carriesDdl  the format writes DDL messages
     * @param snapshotBatchesInFlight snapshot batches the sink takes at once
     */
    public SourceExport(PipelineSpec spec, Path stateDir, String objectsBean, String ledgerBean, Function<String, String> secret,
                        boolean carriesDdl, int snapshotBatchesInFlight) {
        this.snapshotBatchesInFlight = snapshotBatchesInFlight;
        this.spec = spec;
        this.stateDir = stateDir;
        this.objectsBean = objectsBean;
        this.ledgerBean = ledgerBean;
        this.secret = secret;
        this.carriesDdl = carriesDdl;
    }

    public PipelineSpec spec() {
        return spec;
    }

    public Path stateDir() {
        return stateDir;
    }

    public String objectsBean() {
        return objectsBean;
    }

    public String ledgerBean() {
        return ledgerBean;
    }

    public String secret(String keyPath) {
        return secret.apply(keyPath);
    }

    public boolean carriesDdl() {
        return carriesDdl;
    }

    public int snapshotBatchesInFlight() {
        return snapshotBatchesInFlight;
    }

    private boolean ledger;

    /** The source takes a snapshot that may be retaken after a crash: the route gets the ledger bean and its step. */
    public void useLedger() {
        ledger = true;
    }

    public boolean ledger() {
        return ledger;
    }

    /** The route's {@code from} endpoint, scheme and path; its options go in {@link #parameters()}. */
    public void from(String endpoint) {
        from = endpoint;
    }

    public String from() {
        return from;
    }

    public Map<String, Object> parameters() {
        return parameters;
    }

    /** Adds a bean definition in Camel YAML DSL form ({@code name}, {@code type}, {@code properties}...). */
    public void bean(Map<String, Object> definition) {
        beans.add(definition);
    }

    /** Adds a bean of {@code type} configured by {@code properties} (none when empty); returns its reference {@code #bean:NAME}. */
    public String bean(String name, String type, Map<String, Object> properties) {
        Map<String, Object> bean = new LinkedHashMap<>();
        bean.put("name", name);
        bean.put("type", type);
        if (!properties.isEmpty()) {
            bean.put("properties", properties);
        }
        beans.add(bean);
        return "#bean:" + name;
    }

    public List<Map<String, Object>> beans() {
        return beans;
    }

    /** Adds a step after the endpoint, in Camel YAML DSL form ({@code {process: {ref: NAME}}}). */
    public void step(Map<String, Object> step) {
        steps.add(step);
    }

    public List<Map<String, Object>> steps() {
        return steps;
    }
}
