package processors;

import model.ChangeEvent;
import model.Op;
import model.TableId;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import counters.BatchTally;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Follows table renames of a binlog source (OMS stops here; we do not). From each DDL event it reads
 * {@code RENAME TABLE a TO b[, c TO d]} and {@code ALTER TABLE a RENAME [TO|AS] b}: when a table the pipeline selects is
 * renamed to one it also selects, the new table's changes keep the old one's destination ({@link TableAliases});
 * renamed to a name no object selects, the rename is reported once (log and status notice) and the table's changes are
 * skipped by the object selector. (Debezium reads all tables of the objects' databases so that such DDL reaches us.)
 * DDL events leave the batch here, unless the format carries DDL messages ({@code format.ddl: true}): then the
 * statements made while streaming stay in it (not the snapshot's, which describe the tables rather than change them).
 */
public class RenameFollower implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(RenameFollower.class);
    private static final Pattern RENAME_TABLE = Pattern.compile("(?is)^\\s*RENAME\\s+TABLES?\\s+(.*)$");
    private static final Pattern PAIR = Pattern.compile("(?is)\\s*([`\"\\w.$]+)\\s+TO\\s+([`\"\\w.$]+)\\s*");
    private static final Pattern ALTER_RENAME = Pattern.compile("(?is)^\\s*ALTER\\s+TABLE\\s+([`\"\\w.$]+)\\s+RENAME\\s+(?:TO\\s+|AS\\s+)?([`\"\\w.$]+)\\s*;?\\s*$");

    private final ObjectSelector selector;
    private final boolean keepDdl;
    private final Predicate<TableId> selected;
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    public RenameFollower(ObjectSelector selector) {
        this(selector, false);
    }

    public RenameFollower(ObjectSelector selector, boolean keepDdl) {
        this.keepDdl = keepDdl;
        this.selector = selector;
        this.selected = selector::selects;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        @SuppressWarnings("unchecked")
        List<ChangeEvent> events = exchange.getIn().getMandatoryBody(List.class);
        List<ChangeEvent> rows = new ArrayList<>(events.size());
        for (ChangeEvent e : events) {
            if (e.op() == Op.DDL) {
                follow(e, BatchTally.of(exchange));
                if (keepDdl && !e.position().snapshot()) {
                    rows.add(e);
                }
            } else {
                rows.add(e);
            }
        }
        if (rows.size() != events.size()) {
            exchange.getIn().setBody(rows);
        }
    }

    private void follow(ChangeEvent ddl, BatchTally tally) {
        String database = ddl.table().database();
        for (String[] rename : renames(ddl.ddl())) {
            TableId from = tableId(rename[0], database);
            TableId to = tableId(rename[1], database);
            if (!selected.test(from) && !selector.aliases().isAlias(from)) {
                continue;
            }
            if (selected.test(to)) {
                selector.aliases().add(to, from);
                String message = from.qualifiedName() + " was renamed to " + to.qualifiedName() + ": its changes keep going to "
                        + from.qualifiedName() + "'s destination";
                LOG.info(message);
                tally.notice(message);
            } else if (reported.add(from.qualifiedName() + ">" + to.qualifiedName())) {
                String message = from.qualifiedName() + " was renamed to " + to.qualifiedName()
                        + ", which no object selects: its changes are skipped";
                LOG.warn(message);
                tally.notice(message);
            }
        }
    }

    /** The (from, to) pairs a statement renames; none for other statements. */
    static List<String[]> renames(String ddl) {
        List<String[]> pairs = new ArrayList<>();
        Matcher alter = ALTER_RENAME.matcher(ddl);
        if (alter.matches()) {
            pairs.add(new String[]{alter.group(1), alter.group(2)});
            return pairs;
        }
        Matcher rename = RENAME_TABLE.matcher(ddl);
        if (rename.matches()) {
            for (String part : rename.group(1).replaceAll(";\\s*$", "").split(",")) {
                Matcher pair = PAIR.matcher(part);
                if (pair.matches()) {
                    pairs.add(new String[]{pair.group(1), pair.group(2)});
                }
            }
        }
        return pairs;
    }

    private static TableId tableId(String name, String database) {
        String[] parts = name.replace("`", "").replace("\"", "").split("\\.");
        return parts.length == 2 ? new TableId(parts[0], null, parts[1]) : new TableId(database, null, parts[0]);
    }
}
