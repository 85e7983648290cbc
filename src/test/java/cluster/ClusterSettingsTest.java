package cluster;

import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusterSettingsTest {

    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    @Test
    void withoutAClusterThereAreNoSettings() {
        assertNull(ClusterSettings.of(null, null, props(), 8080));
    }

    @Test
    void theFlagWinsOverThePropertiesAndTheRootDefaults() {
        ClusterSettings s = ClusterSettings.of("zookeeper://zk1:2181,zk2:2181", "n1",
                props("tributary.cluster", "zookeeper://other:1/x", "tributary.state.url", "jdbc:postgresql://db/state",
                        "tributary.state.password", "s3cret"), 8080);
        assertEquals("zk1:2181,zk2:2181", s.connect());
        assertEquals("/tributary", s.root());
        assertEquals("n1", s.node());
        assertEquals(10_000, s.sessionTimeoutMs());
        assertFalse(s.toString().contains("s3cret"), s.toString());
    }

    @Test
    void thePropertiesAloneMakeANodeWithItsRoot() {
        ClusterSettings s = ClusterSettings.of(null, null, props("tributary.cluster", "zookeeper://zk:2181/prod/cdc",
                "tributary.cluster.node", "east-1", "tributary.state.url", "jdbc:mariadb://db/state"), 9000);
        assertEquals("/prod/cdc", s.root());
        assertEquals("east-1", s.node());
    }

    @Test
    void errorsNameTheKeyAndTheReason() {
        IllegalArgumentException noState = assertThrows(IllegalArgumentException.class,
                () -> ClusterSettings.of("zookeeper://zk:2181", "n", props(), 8080));
        assertTrue(noState.getMessage().startsWith("--cluster needs the shared state database: tributary.state.url"), noState.getMessage());
        IllegalArgumentException scheme = assertThrows(IllegalArgumentException.class,
                () -> ClusterSettings.of(null, null, props("tributary.cluster", "etcd://x:1", "tributary.state.url", "jdbc:x"), 8080));
        assertTrue(scheme.getMessage().startsWith("tributary.cluster: 'etcd://x:1'"), scheme.getMessage());
        IllegalArgumentException node = assertThrows(IllegalArgumentException.class,
                () -> ClusterSettings.of("zookeeper://zk:2181", "no spaces", props("tributary.state.url", "jdbc:x"), 8080));
        assertTrue(node.getMessage().startsWith("--node: 'no spaces'"), node.getMessage());
        IllegalArgumentException session = assertThrows(IllegalArgumentException.class, () -> ClusterSettings.of("zookeeper://zk:2181", "n",
                props("tributary.state.url", "jdbc:x", "tributary.cluster.sessionTimeoutMs", "500"), 8080));
        assertTrue(session.getMessage().startsWith("tributary.cluster.sessionTimeoutMs: at least 2000"), session.getMessage());
    }

    @Test
    void kubernetesLeasesAreConfiguredFromTheUriAndTheProperties() {
        ClusterSettings s = ClusterSettings.of("kubernetes://cdc", "tributary-0", props("tributary.state.url", "jdbc:postgresql://db/state",
                "tributary.cluster.sessionTimeoutMs", "15000", "tributary.cluster.kubernetes.labels", "app=tributary, tier=cdc"), 8080);
        assertEquals(ClusterSettings.KUBERNETES, s.backend());
        org.apache.camel.component.kubernetes.cluster.KubernetesClusterService k8s =
                (org.apache.camel.component.kubernetes.cluster.KubernetesClusterService) ClusterNodes.service(s);
        assertEquals("tributary-0", k8s.getId());
        assertEquals("tributary-0", k8s.getPodName());
        assertEquals("cdc", k8s.getKubernetesNamespace());
        assertEquals("tributary", k8s.getKubernetesResourceName());
        assertEquals(org.apache.camel.component.kubernetes.cluster.LeaseResourceType.Lease, k8s.getLeaseResourceType());
        assertEquals(java.util.Map.of("app", "tributary", "tier", "cdc"), k8s.getClusterLabels());
        assertEquals(15_000, k8s.getLeaseDurationMillis());
        assertEquals(10_000, k8s.getRenewDeadlineMillis());
        assertEquals(3_000, k8s.getRetryPeriodMillis());
        IllegalArgumentException labels = assertThrows(IllegalArgumentException.class, () -> ClusterSettings.of("kubernetes://", "n",
                props("tributary.state.url", "jdbc:x", "tributary.cluster.kubernetes.labels", "app"), 8080));
        assertTrue(labels.getMessage().startsWith("tributary.cluster.kubernetes.labels: 'app' is not name=value"), labels.getMessage());
    }

    @Test
    void zooKeeperIsConfiguredFromTheUri() {
        ClusterSettings s = ClusterSettings.of("zookeeper://zk1:2181,zk2:2181/prod", "n1", props("tributary.state.url", "jdbc:x",
                "tributary.cluster.sessionTimeoutMs", "8000"), 8080);
        org.apache.camel.component.zookeeper.cluster.ZooKeeperClusterService zk =
                (org.apache.camel.component.zookeeper.cluster.ZooKeeperClusterService) ClusterNodes.service(s);
        assertEquals("n1", zk.getId());
        // the configuration is what the service builds its Curator client and its views from
        assertEquals(java.util.List.of("zk1:2181", "zk2:2181"), zk.getConfiguration().getNodes());
        assertEquals("/prod", zk.getConfiguration().getBasePath());
        assertEquals(8_000, zk.getConfiguration().getSessionTimeoutUnit().toMillis(zk.getConfiguration().getSessionTimeout()));
    }
}
