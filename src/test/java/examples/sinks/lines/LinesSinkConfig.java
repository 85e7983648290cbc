package examples.sinks.lines;

import config.SinkConfig;

import java.util.Map;

/** {@code sink: {type: lines, file: /abs/path.jsonl}}: every change, encoded in the pipeline's format, one per line. */
public record LinesSinkConfig(String file) implements SinkConfig {

    @Override
    public Map<String, Object> describe() {
        return Map.of("file", file);
    }
}
