/*
 * Copyright Debezium Authors.
 *
 * Licensed under the Apache Software License version 2.0, available at http://www.apache.org/licenses/LICENSE-2.0
 *
 * TRIBUTARY: a verbatim copy of Debezium 3.4.0.Final's class with one change: getSourcePartition() returns one map,
 * built once and unmodifiable, instead of a new HashMap for every change. Debezium asks for it for every change record
 * (and every heartbeat) on the connector's reading thread, the thread that bounds a pipeline's throughput
 * (docs/performance.md, "Kafka Connect's value checks"); the partition of a connector never changes, and no caller
 * modifies the map (Kafka Connect's offset writer and Tributary's offset store use it as a key). This class shadows
 * Debezium's: target/classes precede the jar on the class path, and the fat JAR leaves Debezium's copy out (pom.xml,
 * shade filter); ShadowedClassesTest fails when the Debezium version changes under it. Remove it once Debezium keeps
 * the map itself (a candidate upstream patch).
 */
package io.debezium.connector.postgresql;

import static io.debezium.relational.RelationalDatabaseConnectorConfig.DATABASE_NAME;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.debezium.config.Configuration;
import io.debezium.pipeline.spi.Partition;
import io.debezium.relational.AbstractPartition;
import io.debezium.util.Collect;

public class PostgresPartition extends AbstractPartition implements Partition {
    private static final String SERVER_PARTITION_KEY = "server";

    private final String serverName;
    /** TRIBUTARY: built once. */
    private final Map<String, String> sourcePartition;

    public PostgresPartition(String serverName, String databaseName) {
        super(databaseName);
        this.serverName = serverName;
        this.sourcePartition = Collections.unmodifiableMap(Collect.hashMapOf(SERVER_PARTITION_KEY, serverName));
    }

    @Override
    public Map<String, String> getSourcePartition() {
        return sourcePartition;
    }

    @Override
    public boolean equals(Object obj) {
        if (this == obj) {
            return true;
        }
        if (obj == null || getClass() != obj.getClass()) {
            return false;
        }
        final PostgresPartition other = (PostgresPartition) obj;
        return Objects.equals(serverName, other.serverName);
    }

    @Override
    public int hashCode() {
        return serverName.hashCode();
    }

    @Override
    public String toString() {
        return "PostgresPartition [sourcePartition=" + getSourcePartition() + "]";
    }

    static class Provider implements Partition.Provider<PostgresPartition> {
        private final PostgresConnectorConfig connectorConfig;
        private final Configuration taskConfig;

        Provider(PostgresConnectorConfig connectorConfig, Configuration taskConfig) {
            this.connectorConfig = connectorConfig;
            this.taskConfig = taskConfig;
        }

        @Override
        public Set<PostgresPartition> getPartitions() {
            return Collections.singleton(new PostgresPartition(
                    connectorConfig.getLogicalName(), taskConfig.getString(DATABASE_NAME.name())));
        }
    }
}
