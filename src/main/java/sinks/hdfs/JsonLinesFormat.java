package sinks.hdfs;

import formats.ChangeEventFormat;
import model.ChangeEvent;

import java.util.Arrays;
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

    @Override
    byte[] line(ChangeEvent event, Map<String, String> columns) {
        byte[] json = format.encode(event);
        byte[] line = Arrays.copyOf(json, json.length + 1);
        line[json.length] = '\n';
        return line;
    }

    @Override
    RecordEnds recordEnds() {
        return b -> b == '\n';
    }
}
