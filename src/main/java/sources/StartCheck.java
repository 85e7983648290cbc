package sources;

/**
 * A check run by the CDC consumer before its engine starts (option {@code startCheck=#bean:name}). When it throws,
 * the engine does not start and the source shows FAILED with the check's message — nothing is read or committed.
 */
@FunctionalInterface
public interface StartCheck {

    /** @param engine the Debezium engine's properties (name, offset file, topic prefix, ...) */
    void check(java.util.Properties engine) throws Exception;
}
