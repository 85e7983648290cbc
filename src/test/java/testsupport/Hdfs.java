package testsupport;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;

/** A real HDFS in this JVM (name node + one data node, docs/design.md), on free ports, in a temporary directory. */
public final class Hdfs implements AutoCloseable {

    private final Path dir;
    private final Configuration conf = new Configuration();
    private final MiniDFSCluster cluster;

    public Hdfs() throws IOException {
        dir = java.nio.file.Files.createTempDirectory("tributary-hdfs");
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dir.toString());
        conf.setInt("dfs.replication", 1);
        conf.set("dfs.client.block.write.replace-datanode-on-failure.policy", "NEVER");
        conf.setInt("dfs.namenode.lease-recheck-interval-ms", 1000);
        cluster = new MiniDFSCluster.Builder(conf, dir.toFile()).numDataNodes(1).build();
        cluster.waitActive();
    }

    public String uri() {
        return "hdfs://localhost:" + cluster.getNameNodePort();
    }

    /** A client of its own (the caller closes it). */
    public FileSystem client() {
        return client(java.util.Map.of());
    }

    /** A client of its own with these settings over the cluster's. */
    public FileSystem client(java.util.Map<String, String> settings) {
        try {
            Configuration client = new Configuration(conf);
            settings.forEach(client::set);
            return FileSystem.newInstance(URI.create(uri()), client);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The data node stopped and started again on its storage and ports (its blocks come back with it). */
    public void restartDataNode() throws IOException {
        if (!cluster.restartDataNode(0, true)) {
            throw new IllegalStateException("the data node did not restart");
        }
        cluster.waitActive();
    }

    /** The name node stopped and started again on its metadata and port; returns when it left safe mode. */
    public void restartNameNode() throws IOException {
        cluster.restartNameNode(true);
        cluster.waitActive();
    }

    @Override
    public void close() {
        cluster.shutdown(true);
        Dirs.delete(dir);
    }
}
