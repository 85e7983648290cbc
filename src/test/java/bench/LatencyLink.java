package bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP link that delays every byte by a fixed time each way, as a network between two hosts does, without limiting
 * throughput: what arrives is queued with its due time and written when due, while more is read (unlike the test
 * proxy's latency fault, which holds the connection for each chunk). For benchmarks of a target that is not on the
 * same host; the machine has no netem. Hand-written: a reader and a writer thread per direction is all it takes.
 */
final class LatencyLink implements AutoCloseable {

    private final ServerSocket server;
    private final long delayNanos;
    private volatile int targetPort;

    LatencyLink(long delayMicros) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.delayNanos = delayMicros * 1000;
        daemon(this::accept, "latency-link-accept");
    }

    int port() {
        return server.getLocalPort();
    }

    /** Where the link leads (known once the server behind it started, which may need the link's port first). */
    void target(int port) {
        this.targetPort = port;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                direction(client, upstream);
                direction(upstream, client);
            } catch (IOException e) {
                // closed, or the target refused one connection: the client sees it closed and reconnects
            }
        }
    }

    private record Chunk(long due, byte[] bytes) {
    }

    private void direction(Socket from, Socket to) {
        BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
        daemon(() -> {
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = from.getInputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    queue.put(new Chunk(System.nanoTime() + delayNanos, Arrays.copyOf(buffer, n)));
                }
            } catch (IOException | InterruptedException e) {
                // the other side closed
            }
            queue.add(new Chunk(0, null));
        }, "latency-link-read");
        daemon(() -> {
            try (OutputStream out = to.getOutputStream()) {
                while (true) {
                    Chunk c = queue.take();
                    if (c.bytes() == null) {
                        break;
                    }
                    long wait;
                    while ((wait = c.due() - System.nanoTime()) > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    out.write(c.bytes());
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // the other side closed
            } finally {
                close(from);
                close(to);
            }
        }, "latency-link-write");
    }

    private static void daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closed already
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
