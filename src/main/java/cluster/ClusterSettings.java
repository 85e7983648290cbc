package cluster;

import java.net.InetAddress;
import java.net.URI;
import java.util.Properties;

/**
 * Cluster mode's settings: {@code --cluster URI} / {@code tributary.cluster} (the coordination backend), {@code --node}
 * / {@code tributary.cluster.node}, and the shared state database {@code tributary.state.url|user|password}
 * (docs/cluster.md). Only the ZooKeeper backend runs in this build's tests; the URI says which backend:
 * {@code zookeeper://host:port[,host:port…][/root]}.
 *
 * @param connect        the ZooKeeper connect string (host:port,…)
 * @param root           the ZooKeeper path under which the cluster lives (default {@code /tributary})
 * @param node           this node's name, unique in the cluster
 * @param advertisedUrl  the base URL other nodes use to reach this node's REST API
 * @param sessionTimeoutMs how long a silent node keeps its pipelines (the ZooKeeper session timeout)
 */
public record ClusterSettings(String connect, String root, String node, String advertisedUrl, long sessionTimeoutMs,
                              String stateUrl, String stateUser, String statePassword) {

    @Override
    public String toString() { // never the password
        return "ClusterSettings[zookeeper=" + connect + root + ", node=" + node + ", url=" + advertisedUrl
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
            u = URI.create(uri.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": '" + uri + "' is not a URI (zookeeper://host:port[/root])");
        }
        if (!"zookeeper".equals(u.getScheme()) || u.getRawAuthority() == null) {
            throw new IllegalArgumentException(key + ": '" + uri + "': expected zookeeper://host:port[,host:port…][/root]");
        }
        String root = u.getPath() == null || u.getPath().isEmpty() || u.getPath().equals("/") ? "/tributary" : u.getPath();
        String node = nodeFlag != null ? nodeFlag : p.getProperty("tributary.cluster.node", defaultNode(port));
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
        return new ClusterSettings(u.getRawAuthority(), root, node, url, session, state.trim(),
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
