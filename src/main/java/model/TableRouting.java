package model;

import java.util.List;

/**
 * Where a table's changes go, as a sink asks it: a pipeline's objects answer it ({@code processors.ObjectSelector}),
 * a hand-written route's endpoint answers it from its templates.
 */
public interface TableRouting {

    /** The topic (Kafka, RocketMQ). */
    String topicOf(TableId table);

    /** The columns whose values choose the partition or queue; empty = the primary key. */
    List<String> shardingColumnsOf(TableId table);

    /** The JDBC target table. */
    String targetTableOf(TableId table);

    /** The HDFS folder (relative to the sink's base path unless it starts with /). */
    String folderOf(TableId table);
}
