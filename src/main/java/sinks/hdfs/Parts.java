package sinks.hdfs;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LeaseRecoverable;
import org.apache.hadoop.fs.Path;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.TimeUnit;

/** File-system steps the part formats share. */
final class Parts {

    private static final long LEASE_TIMEOUT_MS = TimeUnit.MINUTES.toMillis(2);

    private Parts() {
    }

    /** Atomic publish: HDFS (and a local file system) rename never overwrites — a taken name is an error, not a loss. */
    static void rename(FileSystem fs, Path from, Path to) throws IOException {
        fs.mkdirs(to.getParent());
        if (!fs.rename(from, to)) {
            throw new IOException("cannot rename " + from + " to " + to + (fs.exists(to) ? ": the name is taken" : ""));
        }
    }

    /**
     * Takes over a file a dead writer left open: HDFS keeps it under construction, with the writer's lease, until the
     * name node recovers the lease (which also settles the last block's length). A no-op on file systems without leases.
     */
    static void recoverLease(FileSystem fs, Path path) throws IOException {
        if (!(fs instanceof LeaseRecoverable leases)) {
            return;
        }
        long deadline = System.currentTimeMillis() + LEASE_TIMEOUT_MS;
        while (!leases.recoverLease(path) && !leases.isFileClosed(path)) {
            if (System.currentTimeMillis() > deadline) {
                throw new IOException("the lease of " + path + " was not recovered within " + LEASE_TIMEOUT_MS / 1000 + " s");
            }
            sleep(500);
        }
    }

    /** Cuts a closed file to {@code length} (HDFS may finish the cut in the background: wait for it). */
    static void truncate(FileSystem fs, Path path, long length) throws IOException {
        if (!fs.truncate(path, length)) {
            long deadline = System.currentTimeMillis() + LEASE_TIMEOUT_MS;
            while (!(fs instanceof LeaseRecoverable leases) || !leases.isFileClosed(path)) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IOException("the truncation of " + path + " did not finish within " + LEASE_TIMEOUT_MS / 1000 + " s");
                }
                sleep(200);
            }
        }
    }

    static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException | RuntimeException ignored) {
            // abandoned after a failure: what reached the file is recovered later
        }
    }

    private static void sleep(long ms) throws InterruptedIOException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the file system");
        }
    }
}
