package cluster;

import config.PipelineConfigException;
import config.PipelineLoader;
import config.PipelineSpec;
import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import runtime.PipelineManager;
import runtime.PipelineRegistry;
import runtime.PipelineRuntime;
import state.SharedState;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * This node's part in a cluster (docs/cluster.md). Every node knows every pipeline stored in the state database, without
 * a route until it owns one; membership and ownership come from Camel's cluster service ({@code members} view: the live nodes;
 * one view, i.e. one leader election, per pipeline). Once a second, and on every leadership change, one thread
 * reconciles:
 * <ol>
 * <li>the definitions: new, changed and deleted pipelines loaded or unloaded here;</li>
 * <li>the assignment ({@link BoundedRendezvous} over the live members): this node contends only for the pipelines
 * assigned to it, and hands over those assigned elsewhere — route stopped gracefully (the batch in flight completes,
 * its offsets committed) before it leaves the election, so the next owner starts from them;</li>
 * <li>leadership: elected, it claims the pipeline under a new epoch in the state database, restores the pipeline's
 * state files from there and starts the route, every state write fenced by that epoch ({@link DatabaseMirror});
 * not elected any more (session lost, paused beyond the session timeout), it stops the route at once.</li>
 * </ol>
 */
public final class ClusterNode extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);
    static final String MEMBERS = "members";

    /** A pipeline this node contends for: its election, and the epoch while this node runs it (0: not claimed). */
    private static final class Held {
        final CamelClusterView view;
        long epoch;
        Instant since;
        int passesWaiting;

        Held(CamelClusterView view) {
            this.view = view;
        }
    }

    private final ClusterSettings settings;
    private final CamelClusterService service;
    private final StateDatabase db;
    private final PipelineRegistry registry;
    private final PipelineManager manager;
    private final Path dataDir;
    private final CamelContext camel;
    private final PipelineLoader loader = new PipelineLoader();
    private final Map<String, Long> loadedVersions = new HashMap<>();
    private final Map<String, Held> held = new HashMap<>();
    private volatile Map<String, String> assignment = Map.of();
    private volatile List<String> members = List.of();
    private volatile Map<String, String> nodeUrls = Map.of();
    private CamelClusterView membersView;
    private int absentPasses;
    private ScheduledExecutorService loop;

    public ClusterNode(ClusterSettings settings, CamelClusterService service, StateDatabase db, PipelineRegistry registry,
                       PipelineManager manager, Path dataDir, CamelContext camel) {
        this.settings = settings;
        this.service = service;
        this.db = db;
        this.registry = registry;
        this.manager = manager;
        this.dataDir = dataDir;
        this.camel = camel;
    }

    public String node() {
        return settings.node();
    }

    /** Stores the pipeline files of the pipelines folder that the state database does not hold yet (the cluster's seed). */
    public void seed(List<PipelineSpec> specs, Path pipelinesDir) throws Exception {
        for (PipelineSpec spec : specs) {
            Optional<Path> file = config.PipelineFiles.fileOf(loader, pipelinesDir, spec.name());
            if (file.isPresent() && db.insertDefinition(spec.name(), Files.readString(file.get()))) {
                LOG.info("cluster: pipeline '{}' stored in the state database from {}", spec.name(), file.get());
            }
        }
    }

    @Override
    protected void doStart() throws Exception {
        db.announce(settings.node(), settings.advertisedUrl());
        membersView = service.getView(MEMBERS);
        loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tributary-cluster");
            t.setDaemon(true);
            return t;
        });
        loop.scheduleWithFixedDelay(this::reconcileSafely, 0, 1000, TimeUnit.MILLISECONDS);
        LOG.info("cluster: node '{}' joined ({})", settings.node(), settings);
    }

    @Override
    protected void doStop() throws Exception {
        if (loop != null) {
            loop.shutdownNow();
            loop.awaitTermination(60, TimeUnit.SECONDS);
        }
        if (membersView != null) {
            // leave the members first (the election closed, not only stopped: a stopped one keeps its place in the queue),
            // so the others assign this node's pipelines among themselves and stand for them while they are handed over
            org.apache.camel.support.service.ServiceHelper.stopAndShutdownService(membersView);
        }
        synchronized (this) {
            for (String name : new ArrayList<>(held.keySet())) {
                try {
                    release(name, "node stopping");
                } catch (Exception e) { // the others take it over when this node's session ends
                    LOG.warn("cluster: pipeline '{}' not handed over cleanly: {}", name, e.toString());
                }
            }
        }
        db.close();
    }

    /** A reconcile pass as soon as the loop is free (a leadership change, an API call); nothing once the node stops. */
    void reconcileSoon() {
        try {
            loop.execute(this::reconcileSafely);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // the node is leaving: doStop hands over what it holds
        }
    }

    private void reconcileSafely() {
        try {
            reconcile();
        } catch (Throwable e) {
            LOG.warn("cluster: reconcile failed (retried in 1 s): {}", e.toString());
        }
    }

    /** One pass: definitions, assignment, leadership (see the class comment). */
    synchronized void reconcile() throws Exception {
        db.announce(settings.node(), settings.advertisedUrl());
        nodeUrls = db.nodeUrls();
        Map<String, StateDatabase.Definition> defs = new LinkedHashMap<>();
        for (StateDatabase.Definition d : db.definitions()) {
            defs.put(d.name(), d);
        }
        syncDefinitions(defs);
        for (Map.Entry<String, Held> e : held.entrySet()) { // first: a pipeline lost (session expired) stops at once
            if (e.getValue().epoch != 0 && !e.getValue().view.getLocalMember().isLeader()) {
                LOG.warn("cluster: pipeline '{}' lost (epoch {}): stopped here", e.getKey(), e.getValue().epoch);
                stopLocally(e.getKey(), e.getValue());
            }
        }
        TreeSet<String> live = new TreeSet<>();
        for (CamelClusterMember m : membersView.getMembers()) {
            live.add(m.getId());
        }
        members = List.copyOf(live);
        if (!live.contains(settings.node())) {
            if (++absentPasses >= 3) { // our place in the members' election went with an expired session: stand again
                LOG.warn("cluster: node '{}' is not among the members {}: joining again", settings.node(), live);
                service.stopView(MEMBERS);
                service.startView(MEMBERS);
                absentPasses = 0;
            }
            return; // not (yet) a member: contend for nothing
        }
        absentPasses = 0;
        Map<String, String> assigned = BoundedRendezvous.assign(defs.keySet(), live);
        assignment = assigned;
        for (StateDatabase.Definition d : defs.values()) {
            registry.get(d.name()).ifPresent(p -> p.assignedNode(assigned.get(d.name())));
            boolean mine = settings.node().equals(assigned.get(d.name()));
            Held h = held.get(d.name());
            if (!mine) {
                if (h != null) {
                    release(d.name(), "assigned to " + assigned.get(d.name()));
                }
                continue;
            }
            if (h == null) {
                h = new Held(service.getView(viewOf(d.name())));
                held.put(d.name(), h);
                CamelClusterView view = h.view;
                view.addEventListener((CamelClusterEventListener.Leadership) (v, leader) -> reconcileSoon());
            }
            boolean leader = h.view.getLocalMember().isLeader();
            if (h.epoch == 0 && leader) {
                claim(d, h);
            } else if (h.epoch == 0 && ++h.passesWaiting % 3 == 0) {
                // assigned here, not elected for 3 s: the previous owner may still be handing over, or this node's place
                // in the election went with an expired session — standing again re-enters a queue only when out of it
                service.stopView(viewOf(d.name()));
                service.startView(viewOf(d.name()));
            }
        }
    }

    private void syncDefinitions(Map<String, StateDatabase.Definition> defs) throws Exception {
        for (String name : new ArrayList<>(loadedVersions.keySet())) {
            if (!defs.containsKey(name)) {
                release(name, "deleted");
                manager.unload(name);
                loadedVersions.remove(name);
                texts.remove(name);
                LOG.info("cluster: pipeline '{}' deleted", name);
            }
        }
        for (StateDatabase.Definition d : defs.values()) {
            Long loaded = loadedVersions.get(d.name());
            if (loaded != null && loaded == d.version()) {
                continue;
            }
            Optional<PipelineRuntime> local = registry.get(d.name());
            Held h = held.get(d.name());
            if (loaded == null && local.isPresent()) {
                texts.put(d.name(), d.text()); // created through this node's API a moment ago
            } else if (local.isPresent() && !d.text().equals(texts.get(d.name()))) {
                if (h != null && h.epoch != 0) {
                    stopLocally(d.name(), h); // still elected: claimed again under a new epoch with the new definition
                }
                manager.unload(d.name());
                local = Optional.empty();
            }
            if (local.isEmpty()) {
                try {
                    manager.standBy(loader.parse(d.name(), d.text())); // its route is built when this node claims it
                } catch (PipelineConfigException e) {
                    LOG.error("cluster: pipeline '{}' in the state database is invalid here: {}", d.name(), e.getMessage());
                }
                texts.put(d.name(), d.text());
            }
            loadedVersions.put(d.name(), d.version());
            if (d.stopped() && h != null && h.epoch != 0) { // an operator's stop, whichever node took it: the owner follows
                Optional<PipelineRuntime> p = registry.get(d.name());
                if (p.isPresent()) {
                    p.get().stop();
                }
            }
        }
    }

    private final Map<String, String> texts = new HashMap<>();

    /** Elected: a new epoch, the state files from the database, then the route (unless an operator stopped it). */
    private void claim(StateDatabase.Definition d, Held h) throws Exception {
        Optional<PipelineRuntime> p = registry.get(d.name());
        if (p.isEmpty()) {
            return; // invalid on this node: another may run it
        }
        long epoch = db.claim(d.name(), settings.node());
        Path dir = dataDir.resolve(d.name()).toAbsolutePath();
        restore(d.name(), dir, epoch);
        SharedState.register(dir, new DatabaseMirror(db, d.name(), epoch));
        // the route built now that the state is shared: its sink starts as the owner's (Kafka: a transactional producer
        // whose start fences the previous owner's)
        PipelineSpec spec = p.get().spec();
        manager.unload(d.name());
        p = Optional.of(manager.load(spec));
        h.epoch = epoch;
        h.since = Instant.now();
        h.passesWaiting = 0;
        p.get().ownership(settings.node(), epoch, h.since);
        LOG.info("cluster: pipeline '{}' claimed by '{}' under epoch {}", d.name(), settings.node(), epoch);
        if (!d.stopped()) {
            p.get().start();
        }
    }

    /**
     * The local folder made equal to the database's files: what an earlier ownership left here is stale once another
     * node wrote. A pipeline the database has nothing of uploads what this node has (a single node turned cluster).
     */
    private void restore(String pipeline, Path dir, long epoch) throws Exception {
        Map<String, byte[]> files = db.stateFiles().files(pipeline);
        List<Path> local = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> walk = Files.walk(dir)) {
                local = walk.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().endsWith(".tmp")).toList();
            }
        }
        if (files.isEmpty()) {
            for (Path f : local) {
                String name = dir.relativize(f).toString().replace('\\', '/');
                db.stateFiles().writeFile(pipeline, epoch, name, Files.readAllBytes(f));
                LOG.info("cluster: pipeline '{}': local {} stored in the state database", pipeline, name);
            }
            return;
        }
        for (Path f : local) {
            Files.delete(f);
        }
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Path file = dir.resolve(f.getKey()).normalize();
            if (!file.startsWith(dir)) {
                throw new IllegalStateException("state file outside the pipeline's folder: " + f.getKey());
            }
            state.AtomicFiles.write(file, f.getValue()); // not registered yet: local only
        }
    }

    /** Leaves the pipeline: the route stopped gracefully (its last batch committed), then the election. */
    private void release(String name, String why) throws Exception {
        Held h = held.remove(name);
        if (h == null) {
            return;
        }
        if (h.epoch != 0) {
            LOG.info("cluster: pipeline '{}' handed over ({})", name, why);
            stopLocally(name, h);
        }
        service.releaseView(h.view);
        service.stopView(viewOf(name));
    }

    private void stopLocally(String name, Held h) throws Exception {
        Optional<PipelineRuntime> p = registry.get(name);
        if (p.isPresent()) {
            p.get().stop();
            PipelineSpec spec = p.get().spec();
            manager.unload(name); // the route goes, and with it the sink's connections: back to stand-by
            manager.standBy(spec);
        }
        SharedState.unregister(dataDir.resolve(name).toAbsolutePath());
        h.epoch = 0;
        h.since = null;
    }

    static String viewOf(String pipeline) {
        return "pipeline-" + pipeline;
    }

    List<String> members() {
        return members;
    }

    Map<String, String> assignment() {
        return assignment;
    }

    Map<String, String> nodeUrls() {
        return nodeUrls;
    }
}
