package sinks.hdfs;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The partition folder below a table's folder, from a change's commit time in UTC: {@code dt={yyyy-MM-dd}} gives
 * {@code dt=2026-11-22}; every {@code {...}} is a java.time pattern, the rest is copied. Empty = no partition folder.
 */
public final class PartitionTemplate {

    private final List<Function<Instant, String>> parts;

    private PartitionTemplate(List<Function<Instant, String>> parts) {
        this.parts = parts;
    }

    /** @throws IllegalArgumentException naming what is wrong with the template */
    public static PartitionTemplate parse(String template) {
        List<Function<Instant, String>> parts = new ArrayList<>();
        int i = 0;
        while (i < template.length()) {
            int open = template.indexOf('{', i);
            if (open < 0) {
                String text = template.substring(i);
                checkLiteral(text, template, i == 0);
                parts.add(t -> text);
                break;
            }
            String text = template.substring(i, open);
            checkLiteral(text, template, i == 0);
            parts.add(t -> text);
            int close = template.indexOf('}', open);
            if (close < 0) {
                throw new IllegalArgumentException("'" + template + "' has a '{' without its '}'");
            }
            String pattern = template.substring(open + 1, close);
            DateTimeFormatter f;
            try {
                f = DateTimeFormatter.ofPattern(pattern).withZone(ZoneOffset.UTC);
                f.format(Instant.EPOCH);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("'{" + pattern + "}' is not a date-time pattern (e.g. {yyyy-MM-dd}, {HH}): " + e.getMessage());
            }
            parts.add(f::format);
            i = close + 1;
        }
        return new PartitionTemplate(List.copyOf(parts));
    }

    /** @param first the template's first literal: a '/' there would make the folder absolute; later it separates folders */
    private static void checkLiteral(String text, String template, boolean first) {
        if (text.contains("}") || text.contains("..") || first && text.startsWith("/") || text.contains("//") || text.matches(".*\\s.*")) {
            throw new IllegalArgumentException("'" + template + "' is not a relative folder template (no spaces, '..', leading '/' or stray '}')");
        }
    }

    /** The partition folder of a change committed at {@code commitTs} ("" without a template). */
    public String folder(Instant commitTs) {
        StringBuilder b = new StringBuilder();
        for (Function<Instant, String> p : parts) {
            b.append(p.apply(commitTs));
        }
        return b.toString();
    }
}
