package sinks.hdfs;

import formats.JsonValues;
import model.ChangeEvent;

import java.io.IOException;
import java.io.OutputStream;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code csv} (RFC 4180, UTF-8): a header line, then per change {@code __op} (CREATE, UPDATE, DELETE, READ),
 * {@code __commit_ts} (ISO-8601) and the row's columns (a delete: its before image). Values as the JSON formats write
 * them, unquoted; NULL is an empty field, an empty string is {@code ""}. A value may hold a newline inside quotes, so
 * a record ends at a newline outside quotes.
 */
final class CsvFormat extends LineFormat {

    static final String OP = "__op";
    static final String COMMIT_TS = "__commit_ts";

    @Override
    public String extension() {
        return "csv";
    }

    @Override
    byte[] header(Map<String, String> columns) {
        List<String> names = new ArrayList<>(columns.size() + 2);
        names.add(OP);
        names.add(COMMIT_TS);
        names.addAll(columns.keySet());
        return row(names);
    }

    @Override
    int headerLines() {
        return 1;
    }

    @Override
    void encode(List<ChangeEvent> events, Map<String, String> columns, OutputStream out) throws IOException {
        for (ChangeEvent event : events) {
            out.write(line(event, columns));
        }
    }

    private static byte[] line(ChangeEvent event, Map<String, String> columns) {
        Map<String, Object> values = event.row();
        List<String> cells = new ArrayList<>(columns.size() + 2);
        cells.add(event.op().name());
        cells.add(JsonValues.text(event.position().commitTs()));
        for (String column : columns.keySet()) {
            cells.add(values == null ? null : JsonValues.text(values.get(column)));
        }
        return row(cells);
    }

    /**
     * One RFC 4180 record. Written by hand: Jackson's CSV writer cannot tell NULL from an empty string and, without a
     * typed schema per file, drops trailing NULLs.
     */
    static byte[] row(List<String> cells) {
        StringBuilder b = new StringBuilder(cells.size() * 12);
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            String v = cells.get(i);
            if (v == null) {
                continue; // NULL: an empty field
            }
            if (v.isEmpty() || needsQuotes(v)) {
                b.append('"').append(v.replace("\"", "\"\"")).append('"');
            } else {
                b.append(v);
            }
        }
        return b.append('\n').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static boolean needsQuotes(String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == ',' || c == '"' || c == '\n' || c == '\r') {
                return true;
            }
        }
        return v.charAt(0) == ' ' || v.charAt(v.length() - 1) == ' '; // readers that trim would lose the spaces
    }

    /** A newline ends a record when the quotes before it are balanced (a quote inside a value is doubled). */
    @Override
    RecordEnds recordEnds() {
        return new RecordEnds() {
            boolean quoted;

            @Override
            public boolean endsRecord(int b) {
                if (b == '"') {
                    quoted = !quoted;
                }
                return b == '\n' && !quoted;
            }
        };
    }
}
