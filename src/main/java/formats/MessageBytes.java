package formats;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One message's bytes from a {@link ChangeEventFormat.Writing}, through a generator and a buffer each thread keeps for
 * its next message: a generator per message cost a buffer, a generator, its contexts and Jackson's I/O context — about
 * a tenth of what a pipeline allocates per change (docs/performance.md, "footprint"). A generator that failed mid-value
 * is dropped, and a writing that encodes another message inside itself gets a fresh pair, so a kept pair is always at
 * the start of a value.
 */
final class MessageBytes {

    private static final ThreadLocal<MessageBytes> SPARE = new ThreadLocal<>();

    private final ByteArrayBuilder buffer = new ByteArrayBuilder(512);
    private final JsonGenerator generator;

    private MessageBytes() throws IOException {
        generator = JsonValues.JSON.createGenerator(buffer);
        generator.setRootValueSeparator(null); // one message after the other: nothing between them
    }

    static byte[] of(ChangeEventFormat.Writing writing) {
        MessageBytes m = SPARE.get();
        SPARE.set(null);
        try {
            if (m == null) {
                m = new MessageBytes();
            }
            writing.to(m.generator);
            m.generator.flush();
            byte[] bytes = m.buffer.toByteArray();
            m.buffer.reset();
            SPARE.set(m);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
