package formats;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Formats by the name pipelines use in {@code format:}: each a writer and a reader, registered once here. */
public final class Formats {

    /** A format's two halves: the writer for its options, the reader for a pipeline name. */
    private record Format(Function<FormatSpec, ChangeEventFormat> writer, Function<String, ChangeEventReader> reader, boolean carriesDdl) {
    }

    private static final Map<String, Format> FORMATS = new LinkedHashMap<>();

    static {
        FORMATS.put("debezium", new Format(DebeziumJsonFormat::new, DebeziumJsonReader::new, false));
        FORMATS.put("canal", new Format(CanalJsonFormat::new, CanalJsonReader::new, true));
        FORMATS.put("maxwell", new Format(MaxwellJsonFormat::new, MaxwellJsonReader::new, true));
        FORMATS.put("oms-default", new Format(spec -> new OmsJsonFormat(spec, false), p -> new OmsJsonReader(p, false), true));
        FORMATS.put("oms-extend", new Format(spec -> new OmsJsonFormat(spec, true), p -> new OmsJsonReader(p, true), true));
        FORMATS.put("dataworks", new Format(DataWorksFormat::new, DataWorksReader::new, true));
        FORMATS.put("shareplex", new Format(SharePlexFormat::new, SharePlexReader::new, true));
        FORMATS.put("json-row", new Format(JsonRowFormat::new, JsonRowReader::new, false));
    }

    private static final List<String> NAMES = List.copyOf(FORMATS.keySet());

    private Formats() {
    }

    public static List<String> names() {
        return NAMES;
    }

    /** The formats that carry schema changes (DDL) as messages of their own. */
    public static boolean carriesDdl(String type) {
        Format f = FORMATS.get(type);
        return f != null && f.carriesDdl();
    }

    public static ChangeEventFormat create(FormatSpec spec) {
        return format(spec.type()).writer().apply(spec);
    }

    /**
     * A reader of the format's messages ({@link ChangeEventReader}); one per partition or queue.
     *
     * @param pipeline the changes' name where the message carries none
     */
    public static ChangeEventReader reader(String type, String pipeline) {
        return format(type).reader().apply(pipeline);
    }

    public static ChangeEventFormat byName(String name) {
        return create(FormatSpec.of(name));
    }

    private static Format format(String type) {
        Format f = FORMATS.get(type);
        if (f == null) {
            throw new IllegalArgumentException("unknown format '" + type + "' (known: " + NAMES + ")");
        }
        return f;
    }
}
