package sinks.hdfs;

import com.fasterxml.jackson.core.JsonGenerator;
import formats.ChangeEventFormat;
import formats.JsonValues;
import model.ChangeEvent;
import org.apache.hadoop.fs.FSDataOutputStream;

import java.io.IOException;
import java.io.OutputStream;

import java.util.Map;

/** {@code jsonl}: one record per line in the pipeline's format (debezium, ...). A JSON text never holds a raw newline. */
final class JsonLinesFormat extends LineFormat {

    private final ChangeEventFormat format;

    JsonLinesFormat(ChangeEventFormat format) {
        this.format = format;
    }

    @Override
    public String extension() {
        return "jsonl";
    }

    @Override
    byte[] header(Map<String, String> columns) {
        return new byte[0];
    }

    /** One JSON generator for the whole file: no per-record buffers (the encoding is most of this sink's work). */
    @Override
    LineWriter lines(FSDataOutputStream out, Map<String, String> columns) throws IOException {
        JsonGenerator g = JsonValues.JSON.createGenerator((OutputStream) out);
        g.setRootValueSeparator(null);
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        return new LineWriter() {
            @Override
            public void write(ChangeEvent event) throws IOException {
                format.write(event, g);
                g.writeRaw('\n');
            }

            @Override
            public void flush() throws IOException {
                g.flush();
            }
        };
    }

    @Override
    RecordEnds recordEnds() {
        return b -> b == '\n';
    }
}
