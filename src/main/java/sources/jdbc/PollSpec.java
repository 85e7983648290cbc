package sources.jdbc;

import config.TableSettings;

/**
 * How a JDBC polling source finds a table's new and changed rows (an object's {@code pollMode} keys).
 *
 * @param mode               {@code incrementing}, {@code timestamp}, {@code timestamp+incrementing} or {@code bulk}
 * @param incrementingColumn a strictly increasing column (incrementing modes)
 * @param timestampColumn    a last-modified column (timestamp modes)
 */
public record PollSpec(String mode, String incrementingColumn, String timestampColumn) implements TableSettings {

    public boolean usesTimestamp() {
        return mode.startsWith("timestamp");
    }

    public boolean usesIncrementing() {
        return mode.endsWith("incrementing");
    }
}
