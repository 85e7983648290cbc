package app;

import config.PipelineConfigException;
import config.PipelineLoader;
import config.PipelineSpec;
import org.apache.camel.main.Main;
import blocks.BuildingBlocks;
import routes.PipelineRoutes;
import routes.RestRoutes;
import runtime.PipelineRegistry;
import runtime.PipelineRuntime;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line: {@code run} (default) starts every pipeline of the pipelines directory, the hand-written routes
 * of the routes directory and the REST API; {@code validate FILE...} checks pipeline files and exits 0, or 2 with
 * every error.
 */
public final class Tributary {

    static final String USAGE = """
            usage: java -jar tributary.jar [run] [--pipelines DIR] [--routes DIR] [--data DIR] [--port N] [--properties FILE]
                                              [--cluster zookeeper://HOST:PORT[/ROOT] [--node NAME]]
                   java -jar tributary.jar validate FILE...
                   java -jar tributary.jar check FILE [--skip CHECK,...]   (precheck against the real source and sink)
                   java -jar tributary.jar pipelines list|status|create|update|delete|start|stop|pause|resume|precheck …
                                                          (a client of a running server's REST API; pipelines help)
                   java -jar tributary.jar routes export FILE [--data DIR]   (the pipeline as a Camel YAML route, to stdout)
                   java -jar tributary.jar cluster [--server URL]   (cluster mode: members, owners, epochs)
              --pipelines DIR  pipeline files (*.yaml), default config/pipelines
              --routes DIR     Camel YAML DSL routes (*.camel.yaml), default config/routes
              --data DIR       offsets and other state, default ./data
              --port N         REST API port, default 8080
              --properties F   Camel properties for hand-written routes ({{name}} placeholders), default config/application.properties
              --cluster URI    run as a node of a cluster (docs/cluster.md); needs tributary.state.url in the properties
              --node NAME      this node's name in the cluster, default host name and port""";

    /** What {@code run} needs; the tests and the demo build it directly. */
    public record Options(Path pipelines, Path routes, Path data, int port, Path properties, String cluster, String node) {
        public Options(Path pipelines, Path routes, Path data, int port, Path properties) {
            this(pipelines, routes, data, port, properties, null, null);
        }

        public Options(Path pipelines, Path routes, Path data, int port) {
            this(pipelines, routes, data, port, Path.of("config/application.properties"));
        }

        public static Options defaults() {
            return new Options(Path.of("config/pipelines"), Path.of("config/routes"), Path.of("data"), 8080);
        }
    }

    private Tributary() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> rest = new ArrayList<>(List.of(args));
        String command = rest.isEmpty() || rest.get(0).startsWith("--") ? "run" : rest.remove(0);
        switch (command) {
            case "validate":
                return validate(rest, out, err);
            case "check":
                return check(rest, out, err);
            case "pipelines":
                return PipelinesClient.run(rest, out, err);
            case "cluster":
                rest.add(0, "cluster");
                return PipelinesClient.run(rest, out, err);
            case "routes":
                return routes(rest, out, err);
            case "run":
                break;
            case "help", "-h":
                out.println(USAGE);
                return 0;
            default:
                err.println("unknown command '" + command + "'\n" + USAGE);
                return 2;
        }
        Options options;
        try {
            options = parse(rest);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage() + "\n" + USAGE);
            return 2;
        }
        Main main;
        try {
            main = create(options);
        } catch (PipelineConfigException e) {
            err.println(e.getMessage());
            return 2;
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 2;
        } catch (IllegalStateException e) {
            err.println("tributary cannot start: " + e.getMessage());
            return 1;
        }
        try {
            main.run();
            return main.getExitCode();
        } catch (Exception e) {
            err.println("tributary failed: " + e.getMessage());
            return 1;
        }
    }

    static Options parse(List<String> args) {
        Options o = Options.defaults();
        for (int i = 0; i < args.size(); i++) {
            String flag = args.get(i);
            if (i + 1 >= args.size()) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            String value = args.get(++i);
            o = switch (flag) {
                case "--pipelines" -> new Options(Path.of(value), o.routes(), o.data(), o.port(), o.properties(), o.cluster(), o.node());
                case "--routes" -> new Options(o.pipelines(), Path.of(value), o.data(), o.port(), o.properties(), o.cluster(), o.node());
                case "--data" -> new Options(o.pipelines(), o.routes(), Path.of(value), o.port(), o.properties(), o.cluster(), o.node());
                case "--properties" -> new Options(o.pipelines(), o.routes(), o.data(), o.port(), Path.of(value), o.cluster(), o.node());
                case "--cluster" -> new Options(o.pipelines(), o.routes(), o.data(), o.port(), o.properties(), value, o.node());
                case "--node" -> new Options(o.pipelines(), o.routes(), o.data(), o.port(), o.properties(), o.cluster(), value);
                case "--port" -> {
                    try {
                        yield new Options(o.pipelines(), o.routes(), o.data(), Integer.parseInt(value), o.properties(), o.cluster(), o.node());
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--port: '" + value + "' is not a number");
                    }
                }
                default -> throw new IllegalArgumentException("unknown option " + flag);
            };
        }
        return o;
    }

    /** Prechecks one pipeline file: a line per check; exit 0 when none failed, 1 when one did, 2 for a bad file. */
    static int check(List<String> args, PrintStream out, PrintStream err) {
        if (args.isEmpty()) {
            err.println("check needs a FILE\n" + USAGE);
            return 2;
        }
        java.util.Set<String> skip = java.util.Set.of();
        int at = args.indexOf("--skip");
        if (at >= 0 && at + 1 < args.size()) {
            skip = java.util.Set.of(args.get(at + 1).split("\\s*,\\s*"));
        }
        PipelineSpec spec;
        try {
            spec = new PipelineLoader().load(Path.of(args.get(0)));
        } catch (PipelineConfigException e) {
            e.errors().forEach(err::println);
            return 2;
        }
        List<runtime.Precheck.Check> checks = runtime.Precheck.run(spec, skip);
        for (runtime.Precheck.Check c : checks) {
            out.printf("%-8s %-30s %s%n", c.result(), c.name(), c.detail());
        }
        return runtime.Precheck.passed(checks) ? 0 : 1;
    }

    /** {@code routes export FILE [--data DIR]}: exit 0 printed, 2 bad input or a pipeline the route cannot express. */
    static int routes(List<String> args, PrintStream out, PrintStream err) {
        List<String> rest = new ArrayList<>(args);
        Path data = Path.of("data");
        int at = rest.indexOf("--data");
        if (at >= 0) {
            if (at + 1 >= rest.size()) {
                err.println("--data needs a folder\n" + USAGE);
                return 2;
            }
            data = Path.of(rest.remove(at + 1));
            rest.remove(at);
        }
        if (rest.size() != 2 || !rest.get(0).equals("export")) {
            err.println("usage: java -jar tributary.jar routes export FILE [--data DIR]");
            return 2;
        }
        try {
            out.print(routes.PipelineExport.export(Path.of(rest.get(1)), data));
            return 0;
        } catch (PipelineConfigException e) {
            e.errors().forEach(err::println);
            return 2;
        } catch (UnsupportedOperationException e) {
            err.println(rest.get(1) + ": " + e.getMessage());
            return 2;
        } catch (java.io.IOException e) {
            err.println(rest.get(1) + ": cannot read: " + e.getMessage());
            return 2;
        }
    }

    static int validate(List<String> files, PrintStream out, PrintStream err) {
        if (files.isEmpty()) {
            err.println("validate needs at least one FILE\n" + USAGE);
            return 2;
        }
        PipelineLoader loader = new PipelineLoader();
        int failed = 0;
        for (String file : files) {
            try {
                PipelineSpec spec = loader.load(Path.of(file));
                out.println(file + ": ok (pipeline " + spec.name() + ", " + spec.objects().size() + " objects)");
            } catch (PipelineConfigException e) {
                e.errors().forEach(err::println);
                failed++;
            }
        }
        return failed == 0 ? 0 : 2;
    }

    /** The properties file's entries (cluster settings are read before Camel starts); empty when there is none. */
    private static java.util.Properties properties(Path file) {
        java.util.Properties p = new java.util.Properties();
        if (Files.isRegularFile(file)) {
            try (java.io.Reader in = Files.newBufferedReader(file)) {
                p.load(in);
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("--properties: cannot read " + file + ": " + e.getMessage());
            }
        }
        return p;
    }

    /**
     * A configured, not yet started Camel Main: pipelines loaded (errors thrown as {@link PipelineConfigException}),
     * hand-written YAML routes included, REST on the given port. {@code main.start()} / {@code main.stop()} embed it;
     * {@code main.run()} blocks until the JVM is asked to stop.
     */
    public static Main create(Options options) {
        List<PipelineSpec> specs = new PipelineLoader().loadDirectory(options.pipelines());
        cluster.ClusterSettings clusterSettings = cluster.ClusterSettings.of(options.cluster(), options.node(),
                properties(options.properties()), options.port());
        Main main = new Main(); // no classpath scanning: every route and bean is registered here
        PipelineRegistry registry = new PipelineRegistry();
        main.configure().withName("tributary");
        runtime.Metrics metrics = new runtime.Metrics();
        runtime.RouteStats routeStats = new runtime.RouteStats();
        if (clusterSettings == null) { // a cluster node loads its pipelines from the state database instead
            for (PipelineSpec spec : specs) {
                PipelineRuntime pipeline = new PipelineRuntime(spec, () -> main.getCamelContext());
                registry.add(pipeline);
                metrics.register(pipeline);
                main.configure().addRoutesBuilder(new PipelineRoutes(pipeline, options.data(), true));
            }
        }
        runtime.PipelineManager manager = new runtime.PipelineManager(registry, () -> main.getCamelContext(), options.pipelines(), metrics,
                (pipeline, start) -> new PipelineRoutes(pipeline, options.data(), start));
        if (clusterSettings != null) {
            main.addMainListener(cluster.ClusterNodes.joining(clusterSettings, registry, manager, metrics, specs, options.pipelines(), options.data()));
        }
        main.configure().addRoutesBuilder(new RestRoutes(registry, manager, metrics, routeStats));
        main.configure().addRoutesBuilder(new routes.ConsoleRoutes());
        main.configure().addRoutesBuilder(new routes.PipelineTemplate());
        main.configure().addRoutesBuilder(new blocks.RetryPolicy());
        main.bind("pipelines", registry);
        main.addMainListener(new org.apache.camel.main.MainListenerSupport() {
            @Override
            public void beforeConfigure(org.apache.camel.main.BaseMainSupport m) {
                BuildingBlocks.bindTo(m.getCamelContext().getRegistry());
                m.getCamelContext().getManagementStrategy().addEventNotifier(routeStats);
                m.getCamelContext().getManagementStrategy().addEventNotifier(new runtime.PipelineNotifier(registry));
            }
        });
        // only the operator's routes directory: the examples shipped in the JAR are templates, not routes to run
        main.configure().withRoutesIncludePattern(Files.isDirectory(options.routes())
                ? "file:" + options.routes().toAbsolutePath() + "/*.camel.yaml"
                : "classpath:tributary-no-routes/*.camel.yaml"); // Camel's default pattern would pick up other files
        if (Files.isDirectory(options.routes())) {
            // a changed or new route file is reloaded without a restart: only the routes of that file (not the
            // pipelines, not the API: Camel's default removes every route); camel.main.routesReload* in
            // application.properties override these
            main.addInitialProperty("camel.main.routesReloadEnabled", "true");
            main.addInitialProperty("camel.main.routesReloadDirectory", options.routes().toAbsolutePath().toString());
            main.addInitialProperty("camel.main.routesReloadPattern", "*.camel.yaml");
            main.addInitialProperty("camel.main.routesReloadRemoveAllRoutes", "false");
        }
        main.setPropertyPlaceholderLocations("file:" + options.properties().toAbsolutePath() + ";optional=true");
        main.addInitialProperty("tributary.data", options.data().toAbsolutePath().toString());
        main.addInitialProperty("camel.server.enabled", "true");
        main.addInitialProperty("camel.server.port", String.valueOf(options.port()));
        main.addInitialProperty("camel.main.shutdownTimeout", "30");
        return main;
    }
}
