package config;

import java.util.List;

/** A pipeline file that cannot run. Each error reads {@code file: key: reason}; the message lists them all. */
public class PipelineConfigException extends RuntimeException {

    private final List<String> errors;

    public PipelineConfigException(List<String> errors) {
        super(String.join(System.lineSeparator(), errors));
        this.errors = List.copyOf(errors);
    }

    public List<String> errors() {
        return errors;
    }
}
