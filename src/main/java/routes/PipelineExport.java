package routes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import config.PipelineLoader;
import config.PipelineSpec;
import formats.FormatSpec;
import sources.SourceExport;
import sources.SourceFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code routes export}: a pipeline file written as the Camel YAML route that does what the pipeline does, step for
 * step as {@link PipelineRoutes} assembles it ({@link PipelineSteps}), from the building blocks (docs/routes.md): the source plug-in's endpoint
 * and normalizer, a {@code blocks.PipelineObjects} bean (select, where, columns, routing), the snapshot ledger,
 * {@code blocks.BatchDedup}, the sink endpoint, and the pipeline's retry policy as a route configuration. Dropped into
 * the routes folder it runs as a route (not as a pipeline: no pipeline status, precheck or start checks).
 * <p>
 * Secrets are written as property placeholders: {@code ${env:NAME}} in the file becomes {@code {{env:NAME}}}, a
 * literal secret {@code {{PIPELINE.source.password}}} (set it in application.properties or the environment).
 */
public final class PipelineExport {

    private static final Pattern ENV = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");

    private final PipelineSpec spec;
    private final JsonNode raw;
    private final Path dataDir;
    private final Path pipelineFile;

    private PipelineExport(PipelineSpec spec, JsonNode raw, Path dataDir, Path pipelineFile) {
        this.spec = spec;
        this.raw = raw;
        this.dataDir = dataDir;
        this.pipelineFile = pipelineFile;
    }

    /**
     * The route of one pipeline file.
     *
     * @param dataDir the {@code --data} folder the route will keep its state in
     * @throws UnsupportedOperationException a setting the route cannot express; the message names its key
     */
    public static String export(Path pipelineFile, Path dataDir) throws IOException {
        // an unset ${env:NAME} needs no value to be written: it stays the environment's, as a Camel placeholder
        PipelineSpec spec = new PipelineLoader(name -> System.getenv().getOrDefault(name, "{{env:" + name + "}}")).load(pipelineFile);
        JsonNode raw = new YAMLMapper().readTree(Files.readString(pipelineFile));
        return new PipelineExport(spec, raw, dataDir.toAbsolutePath(), pipelineFile).yaml(pipelineFile);
    }

    private String yaml(Path file) throws IOException {
        String name = spec.name();
        String objects = name + "-objects";
        String ledger = name + "-ledger";
        String dedup = name + "-dedup";
        boolean carriesDdl = spec.format().ddl();
        SourceExport source = new SourceExport(spec, dataDir.resolve(name), objects, ledger, this::secret, carriesDdl,
                sinks.SinkFactory.of(spec.sink().type()).snapshotBatchesInFlight(spec));
        SourceFactory.of(spec.source().type()).export(source);

        List<Map<String, Object>> beans = new ArrayList<>();
        beans.add(bean(objects, "blocks.PipelineObjects", props("pipeline", name, "objects", objectsYaml(), "keepDdl", carriesDdl)));
        beans.addAll(source.beans());
        List<Map<String, Object>> steps = new ArrayList<>(source.steps());
        for (PipelineSteps step : PipelineSteps.of(spec, source.ledger())) {
            steps.add(switch (step) {
                case SELECT -> Map.of("process", Map.of("ref", objects));
                case START_AT -> {
                    beans.add(bean(name + "-start-at", "processors.CommitTimeFilter", props("startTimestamp", spec.startTimestamp().toString())));
                    yield Map.of("process", Map.of("ref", name + "-start-at"));
                }
                case WHERE -> Map.of("bean", Map.of("ref", objects, "method", "where"));
                case COLUMNS -> Map.of("bean", Map.of("ref", objects, "method", "columns"));
                case TRANSACTION_ENDS -> {
                    if (!spec.format().wholeTransactions()) {
                        yield Map.of("process", Map.of("ref", "transactionEnds"));
                    }
                    beans.add(bean(name + "-transaction-numbers", "processors.TransactionEnds", props("wholeTransactions", true)));
                    yield Map.of("process", Map.of("ref", name + "-transaction-numbers"));
                }
                case SNAPSHOT_LEDGER -> {
                    beans.add(bean(ledger, "snapshots.SnapshotLedgerStep", props("dir", dataDir.resolve(name).resolve("snapshot-ledger").toString(),
                            "pipeline", name, "routing", "#bean:" + objects, "chunk", spec.batch().maxEvents())));
                    yield Map.of("process", Map.of("ref", ledger));
                }
                case DEDUP -> {
                    Map<String, Object> p = props("windowMs", spec.dedup().windowMs());
                    if (spec.dedup().url() != null) { // the durable repository
                        p.putAll(props("url", spec.dedup().url(), "user", spec.dedup().user(), "password", secret("dedup.password"), "name", name));
                    }
                    beans.add(bean(dedup, "blocks.BatchDedup", p));
                    yield Map.of("bean", Map.of("ref", dedup, "method", "dropSeen"));
                }
                case SINK -> Map.of("to", props("uri", "tributary-" + spec.sink().type() + ":" + name, "parameters", sinkParameters(objects)));
                case DEDUP_REMEMBER -> Map.of("bean", Map.of("ref", dedup, "method", "remember"));
            });
        }

        Map<String, Object> from = new LinkedHashMap<>();
        from.put("uri", source.from());
        if (!source.parameters().isEmpty()) {
            from.put("parameters", source.parameters());
        }
        from.put("steps", steps);
        Map<String, Object> route = new LinkedHashMap<>();
        route.put("id", name);
        route.put("description", "pipeline " + name + " as a route: " + spec.source().type() + " → " + spec.sink().type());
        route.put("routeConfigurationId", name + "-retries");
        route.put("from", from);

        List<Object> document = List.of(
                Map.of("routeConfiguration", props("id", name + "-retries", "errorHandler", Map.of("defaultErrorHandler", retries()))),
                Map.of("beans", beans),
                Map.of("route", route));
        String header = "# The pipeline " + name + " (" + file.getFileName() + ") as a Camel route, written by `tributary routes export`.\n"
                + "# Drop it into the routes folder (--routes) instead of the pipeline file: it reads and writes as the pipeline does\n"
                + "# (state under " + dataDir.resolve(name) + "), but runs as a route: no pipeline status, precheck or start checks.\n"
                + "# Secrets are property placeholders {{...}}: give them in application.properties or the environment.\n";
        return header + new YAMLMapper().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES).writeValueAsString(document);
    }

    /** The pipeline's errors: as the route configuration PipelineRoutes gives its route. */
    private Map<String, Object> retries() {
        PipelineSpec.ErrorPolicy e = spec.errors();
        return Map.of("redeliveryPolicy", props("maximumRedeliveries", e.retries(), "redeliveryDelay", e.retryDelayMs(),
                "useExponentialBackOff", true, "backOffMultiplier", 2, "maximumRedeliveryDelay", e.maxRetryDelayMs(),
                "retryAttemptedLogLevel", "WARN", "logExhausted", true));
    }

    /**
     * The pipeline file's own objects list as YAML text for the objects bean — {@code objectsCsv}'s rows written into
     * it as the loader reads them — without the source's own table keys (those went into the source endpoint).
     */
    private String objectsYaml() throws IOException {
        com.fasterxml.jackson.databind.node.ArrayNode objects = PipelineLoader.objectsNode(raw, pipelineFile);
        List<String> sourceKeys = SourceFactory.of(spec.source().type()).tableKeys();
        objects.forEach(o -> ((ObjectNode) o).remove(sourceKeys));
        return new YAMLMapper().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .writeValueAsString(objects);
    }

    /** The sink section as the sink endpoint's options: its keys, {@code options.X} as {@code option.X}, the format. */
    private Map<String, Object> sinkParameters(String objectsBean) {
        Map<String, Object> p = new LinkedHashMap<>();
        ObjectNode sink = (ObjectNode) raw.get("sink");
        for (Iterator<Map.Entry<String, JsonNode>> it = sink.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            String key = f.getKey();
            if (key.equals("type")) {
                continue;
            }
            if (key.equals("options") && f.getValue().isObject()) {
                f.getValue().fields().forEachRemaining(o -> p.put("option." + o.getKey(), value("sink.options." + o.getKey(), o.getValue())));
            } else {
                p.put(key, value("sink." + key, f.getValue()));
            }
        }
        FormatSpec format = spec.format();
        p.put("format", format.type());
        if (format.transactionSequence()) {
            p.put("transactionSequence", true);
        }
        if (format.businessSystemId() != null) {
            p.put("businessSystemId", format.businessSystemId());
        }
        if (format.ddl()) {
            p.put("ddl", true);
        }
        p.put("routing", "#bean:" + objectsBean);
        p.put("stateDir", dataDir.toString());
        return p;
    }

    /** A value of the file: secrets and ${env:...} as placeholders, lists comma-separated, the rest as written. */
    private Object value(String keyPath, JsonNode v) {
        String leaf = keyPath.substring(keyPath.lastIndexOf('.') + 1).toLowerCase();
        if (leaf.contains("password") || leaf.contains("secret")) {
            return secret(keyPath);
        }
        if (v.isArray()) {
            List<String> items = new ArrayList<>();
            v.forEach(i -> items.add(i.asText()));
            return String.join(",", items);
        }
        if (v.isNumber() || v.isBoolean()) {
            return v.isBoolean() ? v.booleanValue() : v.numberValue();
        }
        if (v.isObject()) {
            throw new UnsupportedOperationException(keyPath + ": a mapping cannot be an endpoint option");
        }
        Matcher env = ENV.matcher(v.asText());
        return env.replaceAll(m -> Matcher.quoteReplacement("{{env:" + m.group(1) + "}}"));
    }

    /** A secret of the file: {@code ${env:NAME}} stays in the environment, anything else becomes a named placeholder. */
    private String secret(String keyPath) {
        JsonNode n = raw;
        for (String part : keyPath.split("\\.")) {
            n = n == null ? null : n.get(part);
        }
        Matcher env = n == null ? null : ENV.matcher(n.asText());
        if (env != null && env.matches()) {
            return "{{env:" + env.group(1) + "}}";
        }
        return "{{" + spec.name() + "." + keyPath + "}}";
    }

    private static Map<String, Object> bean(String name, String type, Map<String, Object> properties) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("name", name);
        b.put("type", type);
        b.put("properties", properties);
        return b;
    }

    private static Map<String, Object> props(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
