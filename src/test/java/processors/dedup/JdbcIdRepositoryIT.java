package processors.dedup;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import testsupport.Postgres;
import testsupport.TestServers;

import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** camel-sql's message-id table on a real PostgreSQL, with the batch operations and the window. */
class JdbcIdRepositoryIT {

    @Test
    void batchesLookUpRecordAndExpire() throws Exception {
        Postgres pg = TestServers.postgres();
        pg.createDatabase("idrepo");
        JdbcIdRepository repo = new JdbcIdRepository(new DriverManagerDataSource(pg.jdbcUrl("idrepo"), Postgres.USER, Postgres.PASSWORD),
                "p1", 3_600_000);
        repo.start(); // creates CAMEL_MESSAGEPROCESSED
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 1_200; i++) {
            ids.add("postgresql:public.t:" + (1000 + i) + ":[" + i + "]");
        }
        String longId = "postgresql:public.t:1:[" + "k".repeat(200) + "]";
        ids.add(longId);
        assertEquals(Set.of(), repo.seen(ids));
        repo.addAll(ids);
        assertEquals(ids.size(), repo.seen(ids).size(), "found in chunks of 500, the long id by its hash");
        JdbcIdRepository other = new JdbcIdRepository(new DriverManagerDataSource(pg.jdbcUrl("idrepo"), Postgres.USER, Postgres.PASSWORD),
                "p2", 3_600_000);
        other.start();
        assertEquals(Set.of(), other.seen(ids), "each pipeline has its own ids");
        assertEquals(true, repo.contains(ids.get(0)), "still a Camel IdempotentRepository");
        try (Connection c = pg.connect("idrepo"); Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE camel_messageprocessed SET createdAt = now() - interval '2 hours' WHERE messageId = '" + ids.get(0) + "'");
        }
        repo.expire();
        assertEquals(ids.size() - 1, repo.seen(ids).size(), "the id older than the window is forgotten");
        assertEquals(false, repo.contains(ids.get(0)));
    }

    /** The same repository in Camel's own idempotentConsumer EIP, one change per exchange, then in a batch look-up. */
    @Test
    void camelsIdempotentConsumerUsesTheRepositoryAndTheBatchStepSeesWhatItRecorded() throws Exception {
        Postgres pg = TestServers.postgres();
        pg.createDatabase("idrepo_eip");
        JdbcIdRepository repo = new JdbcIdRepository(new DriverManagerDataSource(pg.jdbcUrl("idrepo_eip"), Postgres.USER, Postgres.PASSWORD),
                "eip", 3_600_000);
        List<Object> passed = java.util.Collections.synchronizedList(new ArrayList<>());
        try (org.apache.camel.CamelContext camel = new org.apache.camel.impl.DefaultCamelContext()) {
            camel.getRegistry().bind("ids", repo);
            camel.addRoutes(new org.apache.camel.builder.RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:changes").split(body())
                            .idempotentConsumer(body()).idempotentRepository("ids")
                            .process(e -> passed.add(e.getIn().getBody()));
                }
            });
            camel.start();
            camel.createProducerTemplate().sendBody("direct:changes", List.of("c1", "c2", "c1", "c3"));
            camel.createProducerTemplate().sendBody("direct:changes", List.of("c2", "c4"));
        }
        assertEquals(List.of("c1", "c2", "c3", "c4"), passed, "each id once, across exchanges");
        assertEquals(Set.of("c1", "c3", "c4"), repo.seen(List.of("c1", "c3", "c4", "c5")), "the batch step sees the EIP's ids");
    }
}
