package sources;

import io.debezium.engine.DebeziumEngine;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Debezium's asynchronous engine handing its batches over as the connector's {@link SourceRecord}s. Every public way to
 * build the engine names an output format, and the engine converts each record to it on a task of its own: even the
 * {@code Connect} format wraps each record and copies its headers into a list, one thread hand-over per change, for
 * nothing — the normalizer reads the record itself. Without a format (the builder Debezium's own tests use, not public)
 * the engine hands the records over as they are; and with no Kafka Connect transformations configured (Tributary
 * configures none), the shadowed {@code ParallelSmtBatchProcessor} hands the batch over without a task per record.
 * SourceRecordEngineTest fails the build when a Debezium release drops this builder.
 */
final class SourceRecordEngine {

    private static final String BUILDER = "io.debezium.embedded.async.AsyncEmbeddedEngine$AsyncEngineBuilder";

    private SourceRecordEngine() {
    }

    @SuppressWarnings("unchecked")
    static DebeziumEngine.Builder<SourceRecord> builder() {
        try {
            var constructor = Class.forName(BUILDER).getDeclaredConstructor();
            constructor.setAccessible(true);
            return (DebeziumEngine.Builder<SourceRecord>) constructor.newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("this Debezium release has no format-less engine builder (" + BUILDER + ")", e);
        }
    }
}
