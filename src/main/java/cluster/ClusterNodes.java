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
                                              List<PipelineSpec> seeds, Path pipelinesDir, Path dataDir) {
        StateDatabase db;
        try {
            db = new StateDatabase(settings.stateUrl(), settings.stateUser(), settings.statePassword());
        } catch (SQLException e) {
            throw new IllegalStateException("tributary.state.url: cannot use the state database " + settings.stateUrl() + ": " + e.getMessage());
        }
        return new MainListenerSupport() {
            private ClusterNode node;

            @Override
            public void afterStart(BaseMainSupport main) {
                try {
                    CamelContext camel = main.getCamelContext();
                    ZooKeeperClusterService zk = zooKeeper(settings);
                    camel.addService(zk, true, true);
                    node = new ClusterNode(settings, zk, db, registry, manager, dataDir, camel);
                    node.seed(seeds, pipelinesDir);
                    manager.shared(node);
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
