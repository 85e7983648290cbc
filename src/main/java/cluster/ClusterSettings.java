package cluster;

import java.net.InetAddress;
import java.net.URI;
import java.util.Properties;

/**
 * Cluster mode's settings: {@code --cluster URI} / {@code tributary.cluster} (the coordination backend), {@code --node}
 * / {@code tributary.cluster.node}, and the shared state database {@code tributary.state.url|user|password}
 * (docs/cluster.md). The URI says which backend: {@code zookeeper://host:port[,host:port…][/root]}, or
 * {@code kubernetes://[namespace]} (leases; the pods of the cluster carry {@code tributary.cluster.kubernetes.labels},
 * default {@code app=tributary}, and each node is named as its pod). Only ZooKeeper runs in this build's tests.
 *
 * @param backend        {@code zookeeper} or {@code kubernetes}
 * @param connect        the ZooKeeper connect string (host:port,…); for Kubernetes the namespace ("" = the pod's own)
 * @param root           the ZooKeeper path under which the cluster lives (default {@code /tributary}); for Kubernetes
 *                       the prefix of the lease names (default {@code tributary})
 * @param labels         Kubernetes: the labels that select the cluster's pods
 * @param node           this node's name, unique in the cluster
 * @param advertisedUrl  the base URL other nodes use to reach this node's REST API
 * @param sessionTimeoutMs how long a silent node keeps its pipelines (the ZooKeeper session timeout)
 */
public record ClusterSettings(String backend, String connect, String root, java.util.Map<String, String> labels, String node,
                              String advertisedUrl, long sessionTimeoutMs, String stateUrl, String stateUser, String statePassword) {

    public static final String ZOOKEEPER = "zookeeper";
    public static final String KUBERNETES = "kubernetes";

    @Override
    public String toString() { // never the password
        return "ClusterSettings[" + backend + "=" + connect + root + ", node=" + node + ", url=" + advertisedUrl
                + ", sessionTimeoutMs=" + sessionTimeoutMs + ", state=" + stateUrl + "]";
    }

    /**
     * The settings from the command line (which win) and the properties file, or null when neither asks for a cluster.
     *
     * @throws IllegalArgumentException naming the flag or key and the reason
     */
    public static ClusterSettings of(String clusterFlag, String nodeFlag, Properties p, int port) {
        String uri = clusterFlag != null ? clusterFlag : p.getProperty("tributary.cluster");
        if (uri == null || uri.isBlank()) {
            return null;
        }
        String key = clusterFlag != null ? "--cluster" : "tributary.cluster";
        URI u;
        try {
            String text = uri.trim();
            // "kubernetes://" and "kubernetes:" (the pod's own namespace) are not URIs to java.net.URI
            u = URI.create(text.equals("kubernetes://") || text.equals("kubernetes:") ? "kubernetes:/" : text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": '" + uri + "' is not a URI (zookeeper://host:port[/root] or kubernetes://[namespace])");
        }
        String backend = u.getScheme();
        String connect;
        String root;
        if (ZOOKEEPER.equals(backend) && u.getRawAuthority() != null) {
            connect = u.getRawAuthority();
            root = u.getPath() == null || u.getPath().isEmpty() || u.getPath().equals("/") ? "/tributary" : u.getPath();
        } else if (KUBERNETES.equals(backend)) {
            connect = u.getRawAuthority() == null ? "" : u.getRawAuthority();
            root = p.getProperty("tributary.cluster.kubernetes.leasePrefix", "tributary");
        } else {
            throw new IllegalArgumentException(key + ": '" + uri + "': expected zookeeper://host:port[,host:port…][/root] or kubernetes://[namespace]");
        }
        java.util.Map<String, String> labels = new java.util.TreeMap<>();
        for (String pair : p.getProperty("tributary.cluster.kubernetes.labels", "app=tributary").split(",")) {
            String[] kv = pair.trim().split("=", 2);
            if (kv.length != 2 || kv[0].isBlank()) {
                throw new IllegalArgumentException("tributary.cluster.kubernetes.labels: '" + pair.trim() + "' is not name=value");
            }
            labels.put(kv[0].trim(), kv[1].trim());
        }
        // on Kubernetes a node is named as its pod (HOSTNAME is the pod's name)
        String node = nodeFlag != null ? nodeFlag : p.getProperty("tributary.cluster.node",
                KUBERNETES.equals(backend) && System.getenv("HOSTNAME") != null ? System.getenv("HOSTNAME") : defaultNode(port));
        if (!node.matches("[A-Za-z0-9._:-]+")) {
            throw new IllegalArgumentException((nodeFlag != null ? "--node" : "tributary.cluster.node") + ": '" + node
                    + "' may hold only letters, digits and . _ : -");
        }
        String url = p.getProperty("tributary.cluster.advertisedUrl", "http://" + host() + ":" + port);
        long session;
        try {
            session = Long.parseLong(p.getProperty("tributary.cluster.sessionTimeoutMs", "10000").trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("tributary.cluster.sessionTimeoutMs: not a number");
        }
        if (session < 2000) {
            throw new IllegalArgumentException("tributary.cluster.sessionTimeoutMs: at least 2000 (ZooKeeper's minimum is two ticks)");
        }
        String state = p.getProperty("tributary.state.url");
        if (state == null || state.isBlank()) {
            throw new IllegalArgumentException(key + " needs the shared state database: tributary.state.url (a JDBC URL;"
                    + " also tributary.state.user and tributary.state.password) in the properties file");
        }
        String password = p.getProperty("tributary.state.password", System.getenv("TRIBUTARY_STATE_PASSWORD"));
        return new ClusterSettings(backend, connect, root, java.util.Map.copyOf(labels), node, url, session, state.trim(),
                p.getProperty("tributary.state.user"), password);
    }

    private static String defaultNode(int port) {
        return host() + "-" + port;
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }
}
