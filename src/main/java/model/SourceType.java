package model;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A column's source type as {@link ChangeEvent#columns()} carries it (e.g. {@code NUMERIC(12,2)}), split into its base
 * name (upper case, without size) and size / scale (-1 when absent). Sinks that create typed targets (JDBC tables,
 * Parquet schemas) read types through this.
 */
public record SourceType(String name, int length, int scale) {

    private static final Pattern SIZED = Pattern.compile("([A-Za-z0-9 _]+?)\\s*\\((\\d+)(?:\\s*,\\s*(\\d+))?\\)");

    public static SourceType parse(String sourceType) {
        String t = sourceType == null ? "TEXT" : sourceType.trim();
        Matcher m = SIZED.matcher(t);
        if (m.matches()) {
            return new SourceType(m.group(1).trim().toUpperCase(Locale.ROOT), Integer.parseInt(m.group(2)),
                    m.group(3) == null ? -1 : Integer.parseInt(m.group(3)));
        }
        return new SourceType(t.toUpperCase(Locale.ROOT), -1, -1);
    }
}
