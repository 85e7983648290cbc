package sources;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What Debezium's own connector metrics (JMX, {@code debezium.*:type=connector-metrics}) say about one connector:
 * whether it streams, how far its snapshot is. The one place that reads them; a metric that cannot be read counts as
 * not reported (false, or absent from the progress).
 */
final class DebeziumMetrics {

    private static final Logger LOG = LoggerFactory.getLogger(DebeziumMetrics.class);

    private final String topicPrefix;

    /** @param topicPrefix the connector's {@code topic.prefix}, which names its metrics ({@code server=...}) */
    DebeziumMetrics(String topicPrefix) {
        this.topicPrefix = topicPrefix;
    }

    private interface Read {
        void from(MBeanServer server, ObjectName name) throws Exception;
    }

    private void each(String context, Read read) {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            for (ObjectName name : server.queryNames(new ObjectName("debezium.*:type=connector-metrics,context=" + context + ",server="
                    + topicPrefix + ",*"), null)) {
                read.from(server, name);
            }
        } catch (Exception e) {
            LOG.debug("cannot read Debezium's {} metrics: {}", context, e.getMessage());
        }
    }

    /**
     * The connector reads: its stream is connected, or — when its snapshot mode reads rows ({@code props}: the engine's
     * settings) — its snapshot runs or is done.
     */
    boolean reading(java.util.Properties props) {
        String mode = props.getProperty("snapshot.mode");
        boolean rowsSnapshot = !"no_data".equals(mode) && !"recovery".equals(mode);
        return streamingConnected() || rowsSnapshot && snapshotStartedOrDone();
    }

    /** The streaming connection is up. */
    boolean streamingConnected() {
        boolean[] connected = {false};
        each("streaming", (s, n) -> connected[0] |= Boolean.TRUE.equals(s.getAttribute(n, "Connected")));
        return connected[0];
    }

    /** A snapshot runs or has completed. */
    boolean snapshotStartedOrDone() {
        boolean[] started = {false};
        each("snapshot", (s, n) -> started[0] |= Boolean.TRUE.equals(s.getAttribute(n, "SnapshotRunning"))
                || Boolean.TRUE.equals(s.getAttribute(n, "SnapshotCompleted")));
        return started[0];
    }

    /** The snapshot completed without seeing a single row (empty tables emit no record, hence no "last" marker). */
    boolean snapshotCompletedEmpty() {
        boolean[] empty = {false};
        each("snapshot", (s, n) -> empty[0] |= Boolean.TRUE.equals(s.getAttribute(n, "SnapshotCompleted"))
                && Long.valueOf(0).equals(s.getAttribute(n, "TotalNumberOfEventsSeen")));
        return empty[0];
    }

    /** running / completed, tables in all and still to read, rows read so far; empty without snapshot metrics. */
    Map<String, Object> snapshotProgress() {
        Map<String, Object> progress = new LinkedHashMap<>();
        each("snapshot", (s, n) -> {
            progress.put("running", s.getAttribute(n, "SnapshotRunning"));
            progress.put("completed", s.getAttribute(n, "SnapshotCompleted"));
            progress.put("tables", s.getAttribute(n, "TotalTableCount"));
            progress.put("tablesRemaining", s.getAttribute(n, "RemainingTableCount"));
            progress.put("rowsRead", s.getAttribute(n, "TotalNumberOfEventsSeen"));
        });
        return progress;
    }
}
