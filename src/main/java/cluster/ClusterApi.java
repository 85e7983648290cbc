package cluster;

import runtime.PipelineManager;
import runtime.SharedDefinitions;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Cluster mode as the pipeline manager and the REST API use it: definitions written to the state database (every node's
 * {@link ClusterNode} loads them), the owner of a pipeline for passing a call on, and {@code GET /api/cluster}.
 */
final class ClusterApi implements SharedDefinitions {

    private final ClusterNode node;
    private final StateDatabase db;

    ClusterApi(ClusterNode node, StateDatabase db) {
        this.node = node;
        this.db = db;
    }


    @Override
    public void create(String name, String text) throws Exception {
        if (!db.insertDefinition(name, text)) {
            throw new PipelineManager.Conflict("pipeline '" + name + "' exists in the cluster: change it with PUT /api/pipelines/" + name);
        }
        node.reconcileSoon();
    }

    @Override
    public void update(String name, String text) throws Exception {
        db.updateDefinition(name, text);
        node.reconcileSoon();
    }

    @Override
    public void delete(String name) throws Exception {
        db.deleteDefinition(name);
        node.reconcileSoon();
    }

    @Override
    public void stopped(String name, boolean stopped) throws Exception {
        db.setStopped(name, stopped);
    }

    @Override
    public Optional<String> remoteOwner(String pipeline) {
        try {
            Optional<StateDatabase.Owner> o = db.owner(pipeline);
            if (o.isEmpty() || o.get().node().equals(node.node()) || !node.members().contains(o.get().node())) {
                return Optional.empty();
            }
            return Optional.ofNullable(node.nodeUrls().get(o.get().node()));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    @Override
    public Map<String, Object> describe() throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("node", node.node());
        List<Map<String, Object>> nodes = new ArrayList<>();
        Map<String, String> urls = db.nodeUrls();
        for (String m : node.members()) {
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("node", m);
            n.put("url", urls.get(m));
            n.put("pipelines", node.assignment().entrySet().stream().filter(e -> e.getValue().equals(m)).map(Map.Entry::getKey).toList());
            nodes.add(n);
        }
        body.put("members", nodes);
        Map<String, StateDatabase.Owner> owners = db.owners();
        List<Map<String, Object>> pipelines = new ArrayList<>();
        for (StateDatabase.Definition d : db.definitions()) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("pipeline", d.name());
            p.put("assignedNode", node.assignment().get(d.name()));
            StateDatabase.Owner o = owners.get(d.name());
            p.put("owner", o == null ? null : o.node());
            p.put("ownerLive", o != null && node.members().contains(o.node()));
            p.put("epoch", o == null ? null : o.epoch());
            p.put("since", o == null ? null : Instant.ofEpochMilli(o.sinceMs()).toString());
            p.put("stopped", d.stopped());
            pipelines.add(p);
        }
        body.put("pipelines", pipelines);
        return body;
    }
}
