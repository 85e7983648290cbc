package sinks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Encodes a batch in chunks on the common pool <em>and</em> on the calling thread, which hands the encoded chunks on
 * in source order as they are ready: encoding (most of a sink's own work) runs on every core and overlaps the
 * sending or writing of earlier chunks, while what leaves the sink keeps the batch's order. The calling thread claims a
 * chunk to encode whenever the next one to hand on is not ready — waiting idle on the pool cost a third of the
 * throughput on two cores, where the common pool has one thread.
 */
public final class InOrderChunks {

    private InOrderChunks() {
    }

    /** Turns a chunk of the batch into what is handed on; called from several threads at once for different chunks. */
    public interface Encoder<E, T> {
        T encode(List<E> chunk) throws Exception;
    }

    /** Receives the encoded chunks in order, on the calling thread. */
    public interface Consumer<T> {
        void accept(T encoded) throws Exception;
    }

    /**
     * Encodes {@code items} in chunks of {@code chunkSize} and hands each chunk's result to {@code consumer} in order.
     * The first failure (of an encoding or of the consumer) is thrown; chunks not yet claimed are then not encoded.
     */
    public static <E, T> void run(List<E> items, int chunkSize, Encoder<E, T> encoder, Consumer<T> consumer) throws Exception {
        int count = (items.size() + chunkSize - 1) / chunkSize;
        if (count < 2) {
            if (!items.isEmpty()) {
                consumer.accept(encoder.encode(items));
            }
            return;
        }
        List<CompletableFuture<T>> chunks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            chunks.add(new CompletableFuture<>());
        }
        AtomicInteger unclaimed = new AtomicInteger();
        // encodes the next unclaimed chunk; false when none is left
        BooleanSupplier encodeOne = () -> {
            int i = unclaimed.getAndIncrement();
            if (i >= count) {
                return false;
            }
            try {
                chunks.get(i).complete(encoder.encode(items.subList(i * chunkSize, Math.min(items.size(), (i + 1) * chunkSize))));
            } catch (Exception | Error e) {
                chunks.get(i).completeExceptionally(e);
            }
            return true;
        };
        int helpers = Math.min(count - 1, ForkJoinPool.getCommonPoolParallelism());
        for (int h = 0; h < helpers; h++) {
            ForkJoinPool.commonPool().execute(() -> {
                while (encodeOne.getAsBoolean()) {
                    // keep claiming
                }
            });
        }
        try {
            for (CompletableFuture<T> chunk : chunks) {
                while (!chunk.isDone() && encodeOne.getAsBoolean()) {
                    // this thread encodes too rather than wait
                }
                T encoded;
                try {
                    encoded = chunk.join();
                } catch (CompletionException e) {
                    if (e.getCause() instanceof Exception cause) {
                        throw cause;
                    }
                    if (e.getCause() instanceof Error error) {
                        throw error;
                    }
                    throw e;
                }
                consumer.accept(encoded);
            }
        } finally {
            unclaimed.set(count); // a failure stops the helpers: the batch fails as a whole
        }
    }
}
