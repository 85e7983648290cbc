package sources;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.management.ObjectName;
import javax.management.StandardMBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reads metrics registered under Debezium's names, as its connectors register them. */
class DebeziumMetricsTest {

    public interface SnapshotMetricsMBean {
        boolean getSnapshotRunning();

        boolean getSnapshotCompleted();

        int getTotalTableCount();

        int getRemainingTableCount();

        long getTotalNumberOfEventsSeen();
    }

    public interface StreamingMetricsMBean {
        boolean getConnected();
    }

    record Snapshot(boolean running, boolean completed, long rows) implements SnapshotMetricsMBean {
        public boolean getSnapshotRunning() {
            return running;
        }

        public boolean getSnapshotCompleted() {
            return completed;
        }

        public int getTotalTableCount() {
            return 3;
        }

        public int getRemainingTableCount() {
            return completed ? 0 : 1;
        }

        public long getTotalNumberOfEventsSeen() {
            return rows;
        }
    }

    private final List<ObjectName> registered = new ArrayList<>();

    private void register(String server, String context, Object bean, Class<?> type) throws Exception {
        @SuppressWarnings({"unchecked", "rawtypes"})
        StandardMBean mbean = new StandardMBean(bean, (Class) type);
        ObjectName name = new ObjectName("debezium.postgres:type=connector-metrics,context=" + context + ",server=" + server);
        ManagementFactory.getPlatformMBeanServer().registerMBean(mbean, name);
        registered.add(name);
    }

    @AfterEach
    void unregister() throws Exception {
        for (ObjectName name : registered) {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
        }
    }

    @Test
    void aConnectorWithoutMetricsReportsNothing() {
        DebeziumMetrics metrics = new DebeziumMetrics("absent");
        assertFalse(metrics.streamingConnected());
        assertFalse(metrics.snapshotStartedOrDone());
        assertFalse(metrics.snapshotCompletedEmpty());
        assertEquals(Map.of(), metrics.snapshotProgress());
    }

    @Test
    void snapshotProgressAndStreamingOfOneConnectorOnly() throws Exception {
        register("orders", "snapshot", new Snapshot(true, false, 1234), SnapshotMetricsMBean.class);
        register("orders", "streaming", (StreamingMetricsMBean) () -> true, StreamingMetricsMBean.class);
        register("other", "snapshot", new Snapshot(false, true, 0), SnapshotMetricsMBean.class);

        DebeziumMetrics orders = new DebeziumMetrics("orders");
        assertTrue(orders.streamingConnected());
        assertTrue(orders.snapshotStartedOrDone());
        assertFalse(orders.snapshotCompletedEmpty());
        assertEquals(Map.of("running", true, "completed", false, "tables", 3, "tablesRemaining", 1, "rowsRead", 1234L),
                orders.snapshotProgress());

        DebeziumMetrics other = new DebeziumMetrics("other");
        assertFalse(other.streamingConnected());
        assertTrue(other.snapshotCompletedEmpty(), "completed with no row seen");
    }
}
