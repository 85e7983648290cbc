package testsupport;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.rocketmq.common.message.MessageExt;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Where a fault test's pipeline delivers, and how the test reads it back to compare it with the source. */
public interface Destination {

    /** The sink's label in the campaign table. */
    String label();

    /** What each object of the pipeline adds to say where its table goes (a topic), e.g. {@code , topic: "p.{table}"}. */
    default String objectKeys(String pipeline) {
        return "";
    }

    /** The pipeline's {@code sink:} line (and {@code format:} where the sink writes messages). */
    String sinkYaml(String pipeline);

    /** Prepares the destination before the first run (topics with their queues, a target database). */
    default void prepare(String pipeline, List<String> tables) throws Exception {
    }

    /**
     * Reads the destination until it equals the source or the timeout passes; the last comparison.
     *
     * @param ordered whether every change of a row arrives, in order (then a skipped {@code n} is a gap)
     */
    Convergence.Report awaitConverged(String pipeline, List<String> tables, Map<String, Map<String, String>> source, boolean ordered,
                                      Duration timeout) throws Exception;

    /** Kafka, one topic per table, Debezium's format. */
    static Destination kafka(String bootstrap) {
        return new Destination() {
            public String label() {
                return "Kafka";
            }

            public String objectKeys(String pipeline) {
                return ", topic: \"" + pipeline + ".{table}\"";
            }

            public String sinkYaml(String pipeline) {
                return "format: debezium\nsink: {type: kafka, brokers: \"" + bootstrap + "\"}\n";
            }

            public Convergence.Report awaitConverged(String pipeline, List<String> tables, Map<String, Map<String, String>> source,
                                                     boolean ordered, Duration timeout) {
                try (TopicsReader reader = new TopicsReader(bootstrap, tables.stream().map(t -> pipeline + "." + t).toList())) {
                    Convergence.Report[] report = new Convergence.Report[1];
                    reader.readUntil(read -> {
                        Map<String, List<String>> byTable = new LinkedHashMap<>();
                        read.forEach((topic, records) -> byTable.put(topic.substring(pipeline.length() + 1),
                                records.stream().map(ConsumerRecord::value).toList()));
                        report[0] = Convergence.ofDebezium(source, byTable, ordered);
                        return report[0].converged();
                    }, timeout);
                    return report[0];
                }
            }
        };
    }

    /** RocketMQ, one ordered topic of 8 queues per table, Debezium's format, read by an orderly consumer. */
    static Destination rocketmq(RocketMqBroker mq) {
        return new Destination() {
            public String label() {
                return "RocketMQ";
            }

            public String objectKeys(String pipeline) {
                return ", topic: \"" + pipeline + "_{table}\"";
            }

            public String sinkYaml(String pipeline) {
                return "format: debezium\nsink: {type: rocketmq, namesrv: \"" + mq.namesrv() + "\"}\n";
            }

            public void prepare(String pipeline, List<String> tables) throws Exception {
                for (String t : tables) {
                    mq.createTopic(pipeline + "_" + t, 8, true);
                }
            }

            public Convergence.Report awaitConverged(String pipeline, List<String> tables, Map<String, Map<String, String>> source,
                                                     boolean ordered, Duration timeout) throws Exception {
                Map<String, OrderedQueueReader> readers = new LinkedHashMap<>();
                try {
                    for (String t : tables) {
                        readers.put(t, new OrderedQueueReader(mq.namesrv(), pipeline + "_" + t, pipeline + "_check_" + t));
                    }
                    return pollUntilConverged(timeout, () -> {
                        Map<String, List<String>> byTable = new LinkedHashMap<>();
                        readers.forEach((t, r) -> byTable.put(t, inQueueOrder(r.received)));
                        return Convergence.ofDebezium(source, byTable, ordered);
                    });
                } finally {
                    readers.values().forEach(OrderedQueueReader::close);
                }
            }

            /** One queue after the other, each in queue order: a key's changes are all on one queue. */
            private List<String> inQueueOrder(List<MessageExt> received) {
                Map<Integer, List<MessageExt>> queues = new TreeMap<>();
                for (MessageExt m : new ArrayList<>(received)) {
                    queues.computeIfAbsent(m.getQueueId(), q -> new ArrayList<>()).add(m);
                }
                List<String> values = new ArrayList<>();
                queues.values().forEach(q -> {
                    q.sort(java.util.Comparator.comparingLong(MessageExt::getQueueOffset));
                    long last = -1;
                    for (MessageExt m : q) {
                        if (m.getQueueOffset() != last) { // a message the consumer saw twice (rebalance) is one message
                            values.add(new String(m.getBody(), StandardCharsets.UTF_8));
                        }
                        last = m.getQueueOffset();
                    }
                });
                return values;
            }
        };
    }

    /** A JDBC target database: the tables auto-created, rows compared with the source's. */
    static Destination jdbc(String label, String url, String user, String password, ChangeWriter.Connector target) {
        return new Destination() {
            public String label() {
                return label;
            }

            public String sinkYaml(String pipeline) {
                return "sink: {type: jdbc, url: \"" + url + "\", user: " + user + ", password: " + password + ", autoCreate: true}\n";
            }

            public Convergence.Report awaitConverged(String pipeline, List<String> tables, Map<String, Map<String, String>> source,
                                                     boolean ordered, Duration timeout) throws Exception {
                return pollUntilConverged(timeout, () -> {
                    Map<String, Map<String, String>> rows;
                    try {
                        rows = Convergence.sourceRows(target, tables);
                    } catch (java.sql.SQLException notYet) {
                        rows = new TreeMap<>(); // a table not created yet
                    }
                    return Convergence.ofRows(source, rows);
                });
            }
        };
    }

    /** HDFS (MiniDFSCluster), JSON-lines part files of Debezium's format, one folder per table, read in write order. */
    static Destination hdfs(Hdfs hdfs) {
        return new Destination() {
            public String label() {
                return "HDFS";
            }

            public String sinkYaml(String pipeline) {
                return "format: debezium\nsink: {type: hdfs, uri: \"" + hdfs.uri() + "\", path: /campaign/" + pipeline
                        + ", fileFormat: jsonl, rollRecords: 5000, rollAgeMs: 1500}\n";
            }

            public Convergence.Report awaitConverged(String pipeline, List<String> tables, Map<String, Map<String, String>> source,
                                                     boolean ordered, Duration timeout) throws Exception {
                try (org.apache.hadoop.fs.FileSystem fs = hdfs.client()) {
                    return pollUntilConverged(timeout, () -> {
                        Map<String, List<String>> byTable = new LinkedHashMap<>();
                        tables.forEach(t -> byTable.put(t, new ArrayList<>()));
                        for (org.apache.hadoop.fs.Path file : PartFiles.published(fs, new org.apache.hadoop.fs.Path("/campaign/" + pipeline))) {
                            String path = file.toString();
                            String table = tables.stream().filter(t -> path.contains("/" + t + "/") || path.contains("." + t + "/")
                                    || path.contains("_" + t + "/")).findFirst().orElseThrow(() -> new IllegalStateException("no table in " + path));
                            try (java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(fs.open(file),
                                    StandardCharsets.UTF_8))) {
                                r.lines().forEach(byTable.get(table)::add);
                            }
                        }
                        return Convergence.ofDebezium(source, byTable, ordered);
                    });
                }
            }
        };
    }

    /** What a destination reads back; may fail while the destination is not there yet. */
    interface Reading {
        Convergence.Report read() throws Exception;
    }

    /** Reads every second until the destination equals the source or the timeout passes; the last comparison. */
    static Convergence.Report pollUntilConverged(Duration timeout, Reading reading) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Convergence.Report report;
        do {
            Thread.sleep(1_000);
            report = reading.read();
        } while (!report.converged() && System.nanoTime() < deadline);
        return report;
    }
}
