/*
 * Copyright Debezium Authors.
 *
 * Licensed under the Apache Software License version 2.0, available at http://www.apache.org/licenses/LICENSE-2.0
 *
 * TRIBUTARY: a verbatim copy of Debezium 3.4.0.Final's class with one change, marked TRIBUTARY below: a change whose
 * source block is Tributary's (sources.postgres.PostgresSourceBlock, a struct that fills itself when first read) is
 * answered from the values the block keeps, so the streaming metrics, which ask for every change, do not fill it; the
 * answers are the same. This class shadows Debezium's: target/classes precede the jar on the class path, and the fat
 * JAR leaves Debezium's copy out (pom.xml, shade filter); ShadowedClassesTest fails when the Debezium version changes
 * under it. Remove it together with PostgresSourceBlocks.
 */
package io.debezium.connector.postgresql;

import java.time.Instant;
import java.util.Map;

import org.apache.kafka.connect.data.Struct;

import io.debezium.data.Envelope;
import io.debezium.pipeline.source.spi.EventMetadataProvider;
import io.debezium.pipeline.spi.OffsetContext;
import io.debezium.spi.schema.DataCollectionId;
import io.debezium.time.Conversions;
import io.debezium.util.Collect;
import sources.postgres.PostgresSourceBlock;

class PostgresEventMetadataProvider implements EventMetadataProvider {

    @Override
    public Instant getEventTimestamp(DataCollectionId source, OffsetContext offset, Object key, Struct value) {
        if (value == null) {
            return null;
        }
        final Struct sourceInfo = value.getStruct(Envelope.FieldName.SOURCE);
        if (source == null) {
            return null;
        }
        if (sourceInfo instanceof PostgresSourceBlock block) { // TRIBUTARY: its ts_ms, without filling it
            return Instant.ofEpochMilli(block.timestampMillis());
        }
        if (sourceInfo.schema().field(SourceInfo.TIMESTAMP_USEC_KEY) != null) {
            final Long timestamp = sourceInfo.getInt64(SourceInfo.TIMESTAMP_USEC_KEY);
            return timestamp == null ? null : Conversions.toInstantFromMicros(timestamp);
        }
        final Long timestamp = sourceInfo.getInt64(SourceInfo.TIMESTAMP_KEY);
        return timestamp == null ? null : Instant.ofEpochMilli(timestamp);
    }

    @Override
    public Map<String, String> getEventSourcePosition(DataCollectionId source, OffsetContext offset, Object key, Struct value) {
        if (value == null) {
            return null;
        }
        final Struct sourceInfo = value.getStruct(Envelope.FieldName.SOURCE);
        if (source == null) {
            return null;
        }
        final boolean kept = sourceInfo instanceof PostgresSourceBlock; // TRIBUTARY: its xmin and lsn, without filling it
        final Long xmin = kept ? ((PostgresSourceBlock) sourceInfo).xmin() : sourceInfo.getInt64(SourceInfo.XMIN_KEY);
        final Long lsn = kept ? ((PostgresSourceBlock) sourceInfo).lsn() : sourceInfo.getInt64(SourceInfo.LSN_KEY);
        if (lsn == null) {
            return null;
        }

        Map<String, String> r = Collect.hashMapOf(
                SourceInfo.LSN_KEY, Long.toString(lsn));
        if (xmin != null) {
            r.put(SourceInfo.XMIN_KEY, Long.toString(xmin));
        }
        return r;
    }

    @Override
    public String getTransactionId(DataCollectionId source, OffsetContext offset, Object key, Struct value) {
        if (value == null) {
            return null;
        }
        final Struct sourceInfo = value.getStruct(Envelope.FieldName.SOURCE);
        if (source == null) {
            return null;
        }
        // TRIBUTARY: a kept block's txId, without filling it
        Long txId = sourceInfo instanceof PostgresSourceBlock block ? block.txId() : sourceInfo.getInt64(SourceInfo.TXID_KEY);
        if (txId == null) {
            return null;
        }
        return Long.toString(txId);
    }
}
