package sources.binlog;

import config.Section;

import java.util.List;
import java.util.Map;

/**
 * The {@code oceanbase} source plug-in: OceanBase's binlog service through OBProxy, read with Debezium's MySQL connector
 * (docs/sources/oceanbase.md).
 */
public final class OceanBaseSourceFactory extends BinlogSourceFactory {

    @Override
    public String type() {
        return "oceanbase";
    }

    /** No global read lock and no consistent-snapshot binlog position to start several readers at one view: Debezium's snapshot. */
    @Override
    public boolean parallelSnapshot() {
        return false;
    }

    /** OBProxy, which serves SQL and (with binlog_service_ip set) the binlog service's dump protocol. */
    @Override
    protected int defaultPort() {
        return 2883;
    }

    @Override
    protected List<String> extraKeys() {
        return List.of("tenant", "cluster");
    }

    /** OceanBase logs in as user@tenant (and #cluster through a multi-cluster OBProxy). */
    @Override
    protected String loginName(Section source, String user) {
        String tenant = source.string("tenant", true, null);
        String cluster = source.string("cluster", false, null);
        if (user == null || tenant == null || user.contains("@")) {
            return user;
        }
        return user + "@" + tenant + (cluster == null ? "" : "#" + cluster);
    }

    /**
     * OceanBase has no FLUSH TABLES WITH READ LOCK and its binlog service no TLS: snapshot without locks, consistent
     * through the binlog position read before it.
     */
    @Override
    protected void flavourOptions(Map<String, String> o) {
        o.put("snapshotLockingMode", "none");
        o.put("databaseSslMode", "disabled");
    }
}
