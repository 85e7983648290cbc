package formats;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a DDL statement does, named the way each format names it (Canal's event types, Maxwell's, OMS's). */
public enum DdlKind {
    CREATE_TABLE("CREATE", "table-create"),
    ALTER_TABLE("ALTER", "table-alter"),
    DROP_TABLE("ERASE", "table-drop"),
    RENAME_TABLE("RENAME", "table-alter"),
    TRUNCATE_TABLE("TRUNCATE", null),
    CREATE_INDEX("CINDEX", "table-alter"),
    DROP_INDEX("DINDEX", "table-alter"),
    CREATE_DATABASE("QUERY", "database-create"),
    DROP_DATABASE("QUERY", "database-drop"),
    OTHER("QUERY", null);

    /** Canal's {@code type} of the DDL message. */
    public final String canal;
    /** Maxwell's {@code type}; null = Maxwell emits nothing for it. */
    public final String maxwell;

    DdlKind(String canal, String maxwell) {
        this.canal = canal;
        this.maxwell = maxwell;
    }

    // leading comments (/* … */, -- …) and whitespace, then the statement's first words
    private static final Pattern HEAD = Pattern.compile(
            "^(?:\\s|/\\*.*?\\*/|--[^\\n]*\\n)*(CREATE|ALTER|DROP|RENAME|TRUNCATE)\\s+((?:[A-Z_]+\\s+){0,4})", Pattern.DOTALL);

    public static DdlKind of(String statement) {
        Matcher m = HEAD.matcher(statement.toUpperCase(Locale.ROOT));
        if (!m.find()) {
            return OTHER;
        }
        String verb = m.group(1);
        String words = " " + m.group(2);
        boolean table = words.contains(" TABLE ") || verb.equals("TRUNCATE") || verb.equals("RENAME");
        boolean index = words.contains(" INDEX ");
        boolean database = words.contains(" DATABASE ") || words.contains(" SCHEMA ");
        return switch (verb) {
            case "CREATE" -> table ? CREATE_TABLE : index ? CREATE_INDEX : database ? CREATE_DATABASE : OTHER;
            case "ALTER" -> table ? ALTER_TABLE : OTHER;
            case "DROP" -> table ? DROP_TABLE : index ? DROP_INDEX : database ? DROP_DATABASE : OTHER;
            case "RENAME" -> RENAME_TABLE;
            case "TRUNCATE" -> TRUNCATE_TABLE;
            default -> OTHER;
        };
    }
}
