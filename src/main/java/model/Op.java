package model;

/** What happened to a row. READ is a row read by a snapshot, DDL a schema change (statement in {@link ChangeEvent#ddl()}). */
public enum Op {
    CREATE("c"), UPDATE("u"), DELETE("d"), READ("r"), DDL("ddl");

    private final String code;

    Op(String code) {
        this.code = code;
    }

    /** The one-letter code Debezium uses (c/u/d/r). */
    public String code() {
        return code;
    }

    public static Op fromDebeziumCode(String code) {
        return switch (code) {
            case "c" -> CREATE;
            case "u" -> UPDATE;
            case "d" -> DELETE;
            case "r" -> READ;
            default -> throw new IllegalArgumentException("unknown Debezium operation '" + code + "'");
        };
    }
}
