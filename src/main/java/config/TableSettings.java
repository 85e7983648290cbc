package config;

/** What a source plug-in reads from an object's own keys (the JDBC polling source: how the table is polled). */
public interface TableSettings {
}
