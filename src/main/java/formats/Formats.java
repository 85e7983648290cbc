package formats;

import java.util.List;

/** Formats by the name pipelines use in {@code format:}. */
public final class Formats {

    private static final List<String> NAMES = List.of("debezium", "canal", "maxwell", "oms-default", "oms-extend", "dataworks", "shareplex",
            "json-row");

    private Formats() {
    }

    public static List<String> names() {
        return NAMES;
    }

    /** The formats that carry schema changes (DDL) as messages of their own. */
    public static boolean carriesDdl(String type) {
        return type.equals("canal") || type.equals("maxwell") || type.startsWith("oms-") || type.equals("dataworks") || type.equals("shareplex");
    }

    public static ChangeEventFormat create(FormatSpec spec) {
        return switch (spec.type()) {
            case "debezium" -> new DebeziumJsonFormat(spec);
            case "canal" -> new CanalJsonFormat(spec);
            case "maxwell" -> new MaxwellJsonFormat(spec);
            case "oms-default" -> new OmsJsonFormat(spec, false);
            case "oms-extend" -> new OmsJsonFormat(spec, true);
            case "dataworks" -> new DataWorksFormat(spec);
            case "shareplex" -> new SharePlexFormat(spec);
            case "json-row" -> new JsonRowFormat(spec);
            default -> throw new IllegalArgumentException("unknown format '" + spec.type() + "' (known: " + NAMES + ")");
        };
    }

    /**
     * A reader of the format's messages ({@link ChangeEventReader}); one per partition or queue.
     *
     * @param pipeline the changes' name where the message carries none
     */
    public static ChangeEventReader reader(String type, String pipeline) {
        return switch (type) {
            case "debezium" -> new DebeziumJsonReader(pipeline);
            case "canal" -> new CanalJsonReader(pipeline);
            case "maxwell" -> new MaxwellJsonReader(pipeline);
            case "oms-default" -> new OmsJsonReader(pipeline, false);
            case "oms-extend" -> new OmsJsonReader(pipeline, true);
            case "dataworks" -> new DataWorksReader(pipeline);
            case "shareplex" -> new SharePlexReader(pipeline);
            case "json-row" -> new JsonRowReader(pipeline);
            default -> throw new IllegalArgumentException("unknown format '" + type + "' (known: " + NAMES + ")");
        };
    }

    public static ChangeEventFormat byName(String name) {
        return create(FormatSpec.of(name));
    }
}
