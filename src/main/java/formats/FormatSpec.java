package formats;

/**
 * The pipeline's {@code format:} — a name, or a mapping with the name under {@code type} and the options below
 * (docs/formats.md, "Options").
 *
 * @param type                {@code debezium}, {@code canal}, {@code maxwell}, {@code oms-default}, {@code oms-extend},
 *                            {@code dataworks}, {@code shareplex} or {@code json-row}
 * @param transactionSequence every row message carries its sequence number inside its source transaction (1, 2, …;
 *                            0 for snapshot rows) — OMS's "intra-transaction sequence"
 * @param businessSystemId    1–20 characters carried in every message (null = none)
 * @param ddl                 schema changes become messages, in the formats that carry them (canal, maxwell, oms-*,
 *                            dataworks, shareplex)
 * @param splitUpdates        dataworks: an update is two messages, {@code UPDATE_BEFOR} then {@code UPDATE_AFTER}
 *                            ({@code updateMode: split}, the default); false: one {@code UPDATE_AFTER} with both images
 * @param decimalsAsText      dataworks: decimals typed {@code STRING} with their exact text, not {@code DOUBLE}
 * @param typedValues         shareplex: numbers and booleans as JSON numbers and booleans, not text
 * @param heartbeatIntervalMs oms-default, oms-extend, dataworks: a heartbeat record to every topic when nothing was sent
 *                            for this long ({@link StreamMarker#HEARTBEAT}); 0 = none
 */
public record FormatSpec(String type, boolean transactionSequence, String businessSystemId, boolean ddl, boolean splitUpdates,
                         boolean decimalsAsText, boolean typedValues, int heartbeatIntervalMs) {

    public FormatSpec(String type, boolean transactionSequence, String businessSystemId, boolean ddl) {
        this(type, transactionSequence, businessSystemId, ddl, true, false, false);
    }

    public FormatSpec(String type, boolean transactionSequence, String businessSystemId, boolean ddl, boolean splitUpdates,
                      boolean decimalsAsText, boolean typedValues) {
        this(type, transactionSequence, businessSystemId, ddl, splitUpdates, decimalsAsText, typedValues, 0);
    }

    /** The formats that define a heartbeat record. */
    public static final java.util.Set<String> HEARTBEATS = java.util.Set.of("oms-default", "oms-extend", "dataworks");

    /**
     * The format numbers each change within its whole transaction (SharePlex {@code meta.seq/size/idx}): the size is
     * known only at the commit, so the source delivers whole transactions only.
     */
    public boolean wholeTransactions() {
        return transactionSequence && "shareplex".equals(type);
    }

    public static FormatSpec of(String type) {
        return new FormatSpec(type, false, null, false);
    }
}
