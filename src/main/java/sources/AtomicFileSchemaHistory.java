package sources;

import io.debezium.config.Configuration;
import io.debezium.relational.history.HistoryRecord;
import io.debezium.relational.history.HistoryRecordComparator;
import io.debezium.relational.history.SchemaHistoryException;
import io.debezium.relational.history.SchemaHistoryListener;
import io.debezium.storage.file.history.FileSchemaHistory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Debezium's file schema history (the binlog and SQL Server connectors' record of every table's DDL), each record
 * written by replacing the whole file atomically ({@link state.AtomicFiles}) instead of appending a line: a crash
 * mid-append leaves a cut last line the stock reader then fails on, and a replaced file is what cluster mode mirrors
 * in the state database (docs/cluster.md). Records are few (one per table at the snapshot, one per DDL later), so the
 * rewrite costs nothing that matters. Same file format as the stock store: one JSON document per line.
 */
public class AtomicFileSchemaHistory extends FileSchemaHistory {

    private Path file;

    @Override
    public void configure(Configuration config, HistoryRecordComparator comparator, SchemaHistoryListener listener, boolean useCatalogBeforeSchema) {
        super.configure(config, comparator, listener, useCatalogBeforeSchema);
        file = Path.of(config.getString(FILE_PATH));
    }

    @Override
    protected void doStoreRecord(HistoryRecord record) {
        records.add(record);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            for (HistoryRecord r : records) {
                bytes.write(documentWriter.write(r.document()).getBytes(StandardCharsets.UTF_8));
                bytes.write('\n');
            }
            state.AtomicFiles.write(file, bytes.toByteArray());
        } catch (IOException e) {
            records.remove(records.size() - 1);
            throw new SchemaHistoryException("cannot store the schema history in " + file + ": " + e.getMessage(), e);
        }
    }
}
