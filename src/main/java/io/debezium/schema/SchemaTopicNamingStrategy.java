/*
 * Copyright Debezium Authors.
 *
 * Licensed under the Apache Software License version 2.0, available at http://www.apache.org/licenses/LICENSE-2.0
 *
 * TRIBUTARY: a verbatim copy of Debezium 3.4.0.Final's class with one change, in dataChangeTopic(): the last table's
 * topic is remembered, so that a run of changes to one table does not each look it up in Debezium's bounded LRU map,
 * whose every hit counts the map's access queue (ConcurrentLinkedQueue.size(), a walk of the queue) — on the
 * connector's reading thread, the thread that bounds a pipeline's throughput (docs/performance.md, "Kafka Connect's
 * value checks"). A table's topic name depends on the table and the configuration only, so the answer is the same.
 * This class shadows Debezium's: target/classes precede the jar on the class path, and the fat JAR leaves Debezium's
 * copy out (pom.xml, shade filter); ShadowedClassesTest fails when the Debezium version changes under it.
 * Remove it once Debezium's map counts its queue in constant time (a candidate upstream patch).
 */
package io.debezium.schema;

import java.util.Properties;

import io.debezium.common.annotation.Incubating;
import io.debezium.config.CommonConnectorConfig;
import io.debezium.spi.schema.DataCollectionId;

/**
 * Determine data event topic names using {@link DataCollectionId#schemaParts()}.
 *
 * @author Harvey Yue
 */
@Incubating
public class SchemaTopicNamingStrategy extends AbstractTopicNamingStrategy<DataCollectionId> {

    public SchemaTopicNamingStrategy(Properties props) {
        super(props);
    }

    public SchemaTopicNamingStrategy(Properties props, boolean multiPartitionMode) {
        super(props);
        this.multiPartitionMode = multiPartitionMode;
    }

    public static SchemaTopicNamingStrategy create(CommonConnectorConfig config) {
        return create(config, false);
    }

    public static SchemaTopicNamingStrategy create(CommonConnectorConfig config, boolean multiPartitionMode) {
        return new SchemaTopicNamingStrategy(config.getConfig().asProperties(), multiPartitionMode);
    }

    /** TRIBUTARY: the last table and its topic, together. */
    private record LastTopic(DataCollectionId id, String topic) {
    }

    private volatile LastTopic lastTopic;

    @Override
    public String dataChangeTopic(DataCollectionId id) {
        LastTopic last = lastTopic;
        if (last != null && last.id().equals(id)) {
            return last.topic();
        }
        String topic = topicNames.computeIfAbsent(id, t -> sanitizedTopicName(getSchemaPartsTopicName(id)));
        lastTopic = new LastTopic(id, topic);
        return topic;
    }
}
