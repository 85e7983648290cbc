package config;

import java.util.Arrays;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Table-name patterns of pipeline files: a plain name, or a name with {@code *} wildcards. */
public final class TablePatterns {

    /** Identifiers we accept unquoted in a pattern: letters, digits, _ and $, plus the wildcard. */
    static final Pattern VALID = Pattern.compile("[\\p{L}_][\\p{L}\\p{N}_$]*|[\\p{L}\\p{N}_$*]*\\*[\\p{L}\\p{N}_$*]*");

    private TablePatterns() {
    }

    public static boolean matches(String pattern, String name) {
        return pattern.indexOf('*') < 0 ? pattern.equals(name) : toRegex(pattern).matcher(name).matches();
    }

    /** The Java regex for a pattern, as Debezium's include lists expect. */
    public static Pattern toRegex(String pattern) {
        return Pattern.compile(Arrays.stream(pattern.split("\\*", -1)).map(Pattern::quote).collect(Collectors.joining(".*")));
    }
}
