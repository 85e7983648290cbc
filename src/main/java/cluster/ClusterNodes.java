package cluster;

import config.PipelineSpec;
import org.apache.camel.CamelContext;
import org.apache.camel.component.zookeeper.ZooKeeperCuratorConfiguration;
import org.apache.camel.component.zookeeper.cluster.ZooKeeperClusterService;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import runtime.PipelineManager;
import runtime.PipelineRegistry;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Makes a Camel Main a cluster node: the state database, Camel's ZooKeeper cluster service, the {@link ClusterNode}. */
public final class ClusterNodes {

    private ClusterNodes() {
    }

    /**
     * A listener that, once Camel has started, joins the cluster (the pipeline files of {@code pipelinesDir} seed the state
     * database), and leaves it before Camel stops.
     *
     * @throws IllegalStateException when the state database cannot be reached (no secret in the message)
     */
    public static MainListenerSupport joining(ClusterSettings settings, PipelineRegistry registry, PipelineManager manager,
                                              runtime.Metrics metrics, List<PipelineSpec> seeds, Path pipelinesDir, Path dataDir) {
        metrics.node(settings.node());
        StateDatabase db;
        try {
            db = new StateDatabase(settings.stateUrl(), settings.stateUser(), settings.statePassword(), settings.sessionTimeoutMs() / 2);
        } catch (SQLException e) {
            throw new IllegalStateException("tributary.state.url: cannot use the state database " + settings.stateUrl() + ": " + e.getMessage());
        }
        return new MainListenerSupport() {
            private ClusterNode node;

            @Override
            public void afterStart(BaseMainSupport main) {
                try {
                    CamelContext camel = main.getCamelContext();
                    org.apache.camel.cluster.CamelClusterService service = service(settings);
                    camel.addService(service, true, true);
                    node = new ClusterNode(settings, service, db, registry, manager, dataDir, camel);
                    node.seed(seeds, pipelinesDir);
                    manager.shared(new ClusterApi(node, db));
                    node.start();
                } catch (Exception e) {
                    throw new IllegalStateException("cannot join the cluster: " + e.getMessage(), e);
                }
            }

            @Override
            public void beforeStop(BaseMainSupport main) {
                if (node != null) {
                    node.stop(); // routes stopped gracefully, elections left: the others take over at once
                }
            }
        };
    }

    /** Camel's cluster service for the settings' backend, configured, not started. */
    static org.apache.camel.cluster.CamelClusterService service(ClusterSettings settings) {
        return ClusterSettings.KUBERNETES.equals(settings.backend()) ? kubernetes(settings) : zooKeeper(settings);
    }

    /**
     * Leases of the Kubernetes API (one per pipeline, and one for the members), renewed at a third of the session time;
     * the members are the running pods that carry the cluster's labels. Configured here; no Kubernetes runs in the tests.
     */
    static org.apache.camel.component.kubernetes.cluster.KubernetesClusterService kubernetes(ClusterSettings settings) {
        org.apache.camel.component.kubernetes.cluster.KubernetesClusterService k8s = new org.apache.camel.component.kubernetes.cluster.KubernetesClusterService();
        k8s.setId(settings.node());
        k8s.setPodName(settings.node());
        if (!settings.connect().isEmpty()) {
            k8s.setKubernetesNamespace(settings.connect());
        }
        k8s.setLeaseResourceType(org.apache.camel.component.kubernetes.cluster.LeaseResourceType.Lease);
        k8s.setKubernetesResourceName(settings.root());
        k8s.setClusterLabels(settings.labels());
        k8s.setLeaseDurationMillis(settings.sessionTimeoutMs());
        k8s.setRenewDeadlineMillis(settings.sessionTimeoutMs() * 2 / 3);
        k8s.setRetryPeriodMillis(Math.max(500, settings.sessionTimeoutMs() / 5));
        return k8s;
    }

    static ZooKeeperClusterService zooKeeper(ClusterSettings settings) {
        ZooKeeperCuratorConfiguration c = new ZooKeeperCuratorConfiguration();
        c.setNodes(settings.connect());
        c.setBasePath(settings.root());
        c.setSessionTimeout(settings.sessionTimeoutMs(), TimeUnit.MILLISECONDS);
        c.setConnectionTimeout(Math.min(settings.sessionTimeoutMs(), 15_000), TimeUnit.MILLISECONDS);
        ZooKeeperClusterService zk = new ZooKeeperClusterService(c);
        zk.setId(settings.node());
        return zk;
    }
}
