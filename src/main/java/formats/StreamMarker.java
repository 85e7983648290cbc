package formats;

/**
 * A message about the stream rather than a change, in the formats that define one: Maxwell's {@code bootstrap-start}
 * and {@code bootstrap-complete} around a table's snapshot rows, OMS's {@code HEARTBEAT} and DataWorks'
 * {@code MHEARTBEAT} records that show an idle stream's progress ({@link ChangeEventFormat#marker}).
 */
public enum StreamMarker {
    /** A table's snapshot rows follow. */
    SNAPSHOT_START,
    /** The snapshot's rows are all delivered. */
    SNAPSHOT_END,
    /** The stream stands at a point in time with nothing new to deliver. */
    HEARTBEAT
}
