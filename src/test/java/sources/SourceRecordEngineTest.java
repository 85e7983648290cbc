package sources;

import io.debezium.engine.DebeziumEngine;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** The format-less engine builder Tributary starts Debezium with is still in the Debezium on the class path. */
class SourceRecordEngineTest {

    @Test
    void debeziumStillHasTheBuilderWithoutAFormat() {
        DebeziumEngine.Builder<?> builder = SourceRecordEngine.builder();
        assertNotNull(builder);
        assertEquals("io.debezium.embedded.async.AsyncEmbeddedEngine$AsyncEngineBuilder", builder.getClass().getName());
    }
}
