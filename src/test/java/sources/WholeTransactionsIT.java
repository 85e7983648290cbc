package sources;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import testsupport.Json;
import testsupport.Postgres;
import testsupport.RunningTributary;
import testsupport.TestServers;
import testsupport.Topics;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code format: {type: shareplex, transactionSequence: true}} on a real PostgreSQL: every message of a transaction
 * carries {@code meta.seq} 1..size, {@code meta.size} and {@code meta.idx}, counting the changes the pipeline delivers
 * (a row filter's drops are not counted) across the transaction's tables — also for a transaction of 335 delivered
 * changes with {@code batch.maxEvents: 100}, which the source delivers whole in one batch instead of cutting it.
 */
class WholeTransactionsIT {

    final Postgres pg = TestServers.postgres();
    final String kafka = TestServers.kafka().bootstrap();

    @Test
    void shareplexNumbersEachWholeTransactionAcrossTablesAfterTheFilters() throws Exception {
        pg.createDatabase("txseq");
        pg.execute("txseq", "CREATE TABLE t (id int PRIMARY KEY, v text)", "CREATE TABLE u (id int PRIMARY KEY)");
        String file = """
                pipeline: txseq
                source: {type: postgres, host: localhost, port: %d, database: txseq, user: %s, password: %s}
                mode: incremental
                objects:
                  - {table: public.t, topic: txseq.all, where: "id %% 10 <> 7"}
                  - {table: public.u, topic: txseq.all}
                format: {type: shareplex, transactionSequence: true}
                sink: {type: kafka, brokers: "%s"}
                batch: {maxEvents: 100}
                """.formatted(pg.port(), Postgres.USER, Postgres.PASSWORD, kafka);
        try (RunningTributary t = new RunningTributary(file)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> t.get("/api/pipelines/txseq").body().contains("\"state\":\"RUNNING\""));
            try (Connection c = pg.connect("txseq"); Statement st = c.createStatement()) {
                c.setAutoCommit(false);
                st.executeUpdate("INSERT INTO t SELECT g, 'v' || g FROM generate_series(1, 350) g"); // 35 filtered: 315
                st.executeUpdate("INSERT INTO u SELECT g FROM generate_series(1, 20) g");
                c.commit();
                st.executeUpdate("UPDATE t SET v = 'changed' WHERE id = 1");
                c.commit();
                st.executeUpdate("DELETE FROM t WHERE id IN (2, 3, 4)");
                st.executeUpdate("DELETE FROM u WHERE id = 1");
                c.commit();
            }
            int expected = 335 + 1 + 4;
            List<ConsumerRecord<String, String>> records = Topics.readUntil(kafka, "txseq.all", r -> r.size() >= expected, Duration.ofSeconds(90));
            assertEquals(expected, records.size());
            Map<String, List<JsonNode>> byTransaction = new LinkedHashMap<>();
            for (ConsumerRecord<String, String> r : records) {
                JsonNode meta = Json.json(r.value()).get("meta");
                byTransaction.computeIfAbsent(meta.get("trans").asText(), k -> new ArrayList<>()).add(meta);
            }
            assertEquals(List.of(1, 4, 335), byTransaction.values().stream().map(List::size).sorted().toList());
            for (List<JsonNode> metas : byTransaction.values()) {
                List<Long> seqs = metas.stream().map(m -> m.get("seq").asLong()).sorted().toList();
                for (int i = 0; i < metas.size(); i++) {
                    assertEquals(i + 1, seqs.get(i), "seq runs 1..size: " + seqs);
                }
                for (JsonNode m : metas) {
                    assertEquals(metas.size(), m.get("size").asInt(), "size = the changes delivered for the transaction: " + m);
                    assertEquals(m.get("seq").asLong() + "/" + metas.size(), m.get("idx").asText());
                }
            }
            JsonNode status = Json.json(t.get("/api/pipelines/txseq").body());
            assertTrue(status.at("/engine/largestBatch").asLong() >= 335 + 35,
                    "the 370-change transaction went whole into one batch despite maxEvents 100: " + status.get("engine"));
            System.out.printf("shareplex transactionSequence: transactions of %s messages numbered 1..size; largest batch %d (maxEvents 100)%n",
                    byTransaction.values().stream().map(List::size).toList(), status.at("/engine/largestBatch").asLong());
        }
    }
}
