package sinks.hdfs;

import com.fasterxml.jackson.core.JsonGenerator;
import formats.ChangeEventFormat;
import formats.JsonValues;
import model.ChangeEvent;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

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

    /** One JSON generator per call, not per record: no per-record buffers. */
    @Override
    void encode(List<ChangeEvent> events, Map<String, String> columns, OutputStream out) throws IOException {
        try (JsonGenerator g = JsonValues.JSON.createGenerator(out)) {
            g.setRootValueSeparator(null);
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            for (ChangeEvent event : events) {
                format.write(event, g);
                g.writeRaw('\n');
            }
        }
    }

    @Override
    RecordEnds recordEnds() {
        return b -> b == '\n';
    }
}
