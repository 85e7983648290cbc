package formats;

import com.fasterxml.jackson.databind.JsonNode;
import model.ChangeEvent;
import model.Op;
import model.SourcePosition;
import model.TableId;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Debezium's envelope back into changes: Tributary's {@code debezium} format and Debezium's own JSON converter output,
 * without schemas or with them ({@code {"schema", "payload"}}: the payload is read). Values as JSON has them: with
 * schemas, Debezium's encodings (epoch numbers for times, Base64 for precise decimals) stay as they are. A tombstone
 * holds no change; a truncate ({@code op: t}) is not a row change and is refused.
 */
final class DebeziumJsonReader extends MessageReader {

    DebeziumJsonReader(String pipeline) {
        super(pipeline);
    }

    @Override
    List<ChangeEvent> read(List<String> keyColumns, JsonNode m) {
        JsonNode p = m.has("schema") && m.has("payload") ? m.get("payload") : m;
        if (p == null || p.isNull()) {
            return List.of();
        }
        String code = required(p, "op").asText();
        Op op = switch (code) {
            case "c" -> Op.CREATE;
            case "u" -> Op.UPDATE;
            case "d" -> Op.DELETE;
            case "r" -> Op.READ;
            default -> throw new IllegalArgumentException("op '" + code + "' is not a row change (c, u, d, r)");
        };
        JsonNode source = required(p, "source");
        Map<String, Object> before = naturalRow(p.get("before"));
        Map<String, Object> after = naturalRow(p.get("after"));
        TableId table = new TableId(text(source, "db"), text(source, "schema"), required(source, "table").asText());
        Instant commit;
        if (source.hasNonNull("ts_us")) {
            long us = source.get("ts_us").asLong();
            commit = Instant.ofEpochSecond(Math.floorDiv(us, 1_000_000L), Math.floorMod(us, 1_000_000L) * 1_000L);
        } else {
            commit = instant(required(source, "ts_ms"), false);
        }
        String position = source.hasNonNull("lsn") ? text(source, "lsn")
                : source.hasNonNull("file") ? text(source, "file") + ":" + text(source, "pos") + ":" + source.path("row").asInt() : null;
        String tx = source.hasNonNull("txId") ? text(source, "txId") : text(source, "gtid");
        String snapshot = text(source, "snapshot");
        SourcePosition at = new SourcePosition(text(source, "connector"), position, tx, p.path("transaction").path("total_order").asLong(0),
                commit, snapshot != null && !snapshot.equals("false"));
        Map<String, Object> row = after != null ? after : before;
        String name = source.hasNonNull("name") ? text(source, "name") : pipeline;
        return List.of(ChangeEvent.row(name, op, table, before, after, present(keyColumns, row), untyped(row), at));
    }
}
