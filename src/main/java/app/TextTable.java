package app;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** How the command-line client shows what the server answered: aligned tables for people, and their cells. */
final class TextTable {

    private TextTable() {
    }

    static String count(JsonNode n) {
        return n.isNumber() ? String.format(Locale.ROOT, "%,d", n.asLong()) : "-";
    }

    static String lag(JsonNode seconds) {
        if (!seconds.isNumber()) {
            return "-";
        }
        double s = seconds.asDouble();
        return s < 60 ? String.format(Locale.ROOT, "%.1f s", s)
                : s < 3600 ? String.format(Locale.ROOT, "%.1f min", s / 60) : String.format(Locale.ROOT, "%.1f h", s / 3600);
    }

    /** {"type":"postgres","host":"db",…} → "type=postgres host=db …" (nulls left out). */
    static String join(JsonNode object) {
        List<String> parts = new ArrayList<>();
        object.fields().forEachRemaining(f -> {
            if (!f.getValue().isNull()) {
                parts.add(f.getKey() + "=" + (f.getValue().isValueNode() ? f.getValue().asText() : f.getValue().toString()));
            }
        });
        return String.join(" ", parts);
    }

    static String shorten(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    static String pad(String text, int width) {
        return text + " ".repeat(Math.max(0, width - text.length()));
    }

    /** Columns padded to their widest cell; the given columns right-aligned (numbers). */
    static void print(PrintStream out, List<String[]> rows, int... rightAligned) {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                String cell = row[i];
                int gap = widths[i] - cell.length();
                boolean alignRight = contains(rightAligned, i);
                line.append(alignRight ? " ".repeat(gap) + cell : i == row.length - 1 ? cell : cell + " ".repeat(gap));
                if (i < row.length - 1) {
                    line.append("  ");
                }
            }
            out.println(line.toString().stripTrailing());
        }
    }

    static boolean contains(int[] values, int value) {
        for (int v : values) {
            if (v == value) {
                return true;
            }
        }
        return false;
    }
}
