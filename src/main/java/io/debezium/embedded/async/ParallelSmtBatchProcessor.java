/*
 * Copyright Debezium Authors.
 *
 * Licensed under the Apache Software License version 2.0, available at http://www.apache.org/licenses/LICENSE-2.0
 *
 * TRIBUTARY: a verbatim copy of Debezium 3.4.0.Final's class with one change, in processRecords(): when no Kafka
 * Connect transformation is configured, the batch goes to the handler as it is, instead of through one task per record
 * on the engine's record threads — each task only returned its record, at the cost of a task, a queue hand-over and a
 * wake-up per change on a machine whose cores the connector's reading thread needs (docs/performance.md, "The engine's
 * task per change"). With transformations it runs them in parallel as before. This processor serves only an engine
 * built without an output format (sources/SourceRecordEngine), which only Tributary builds. This class shadows
 * Debezium's: target/classes precede the jar on the class path, and the fat JAR leaves Debezium's copy out (pom.xml,
 * shade filter); ShadowedClassesTest fails when the Debezium version changes under it. Remove it once Debezium skips
 * the tasks itself (a candidate upstream patch).
 */
package io.debezium.embedded.async;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;

import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.debezium.engine.DebeziumEngine;

/**
 * {@link RecordProcessor} which runs transformations of the records in parallel and then pass the whole batch to the user-provided handler.
 * This processor should be used when user provides its own {@link DebeziumEngine.ChangeConsumer} and records shouldn't be converted to different format.
 *
 * @author vjuranek
 */
public class ParallelSmtBatchProcessor extends AbstractRecordProcessor<SourceRecord> {
    private static final Logger LOGGER = LoggerFactory.getLogger(ParallelSmtBatchProcessor.class);

    final DebeziumEngine.RecordCommitter committer;
    final DebeziumEngine.ChangeConsumer<SourceRecord> userHandler;

    ParallelSmtBatchProcessor(final DebeziumEngine.RecordCommitter committer, final DebeziumEngine.ChangeConsumer<SourceRecord> userHandler) {
        this.committer = committer;
        this.userHandler = userHandler;
    }

    @Override
    public void processRecords(final List<SourceRecord> records) throws Exception {
        if (transformations.isEmpty()) { // TRIBUTARY: nothing to transform, no task per record
            userHandler.handleBatch(new ArrayList<>(records), committer); // a list of its own, as the tasks' path gives
            return;
        }
        LOGGER.debug("Thread {} is submitting {} records for processing.", Thread.currentThread().getName(), records.size());
        final List<Future<SourceRecord>> recordFutures = new ArrayList<>(records.size());
        records.stream().forEachOrdered(r -> recordFutures.add(recordService.submit(new ProcessingCallables.TransformRecord(r, transformations))));

        LOGGER.trace("Thread {} is getting source records.", Thread.currentThread().getName());
        final List<SourceRecord> transformedRecords = new ArrayList<>(recordFutures.size());
        for (Future<SourceRecord> f : recordFutures) {
            SourceRecord record = f.get(); // we need the whole batch, eventually wait forever
            if (record != null) {
                transformedRecords.add(record);
            }
        }

        LOGGER.trace("Calling user handler.");
        userHandler.handleBatch(transformedRecords, committer);
    }
}
