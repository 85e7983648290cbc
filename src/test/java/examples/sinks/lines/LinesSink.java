package examples.sinks.lines;

import formats.ChangeEventFormat;
import model.ChangeEvent;
import counters.PipelineCounters;
import sinks.BatchSink;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Appends a batch to one local file and forces it to disk before returning: the batch is acknowledged only once it is
 * durable, so the pipeline's offsets never pass a change the file does not hold (after a crash the last batch may be
 * written twice: at-least-once, as every sink).
 */
final class LinesSink extends BatchSink {

    private final Path file;
    private final ChangeEventFormat format;
    private FileChannel channel;

    LinesSink(Path file, ChangeEventFormat format, PipelineCounters counters) {
        super(counters);
        this.file = file;
        this.format = format;
    }

    @Override
    protected void doStart() throws Exception {
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    @Override
    protected void deliver(List<ChangeEvent> events) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream(events.size() * 256);
        for (ChangeEvent e : events) {
            out.write(format.encode(e));
            out.write('\n');
        }
        ByteBuffer buffer = ByteBuffer.wrap(out.toByteArray());
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        channel.force(false);
    }

    @Override
    protected void doStop() throws Exception {
        if (channel != null) {
            channel.close();
        }
    }
}
