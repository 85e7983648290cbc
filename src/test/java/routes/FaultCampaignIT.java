package routes;

import org.junit.jupiter.api.Test;
import testsupport.ChangeWriter;
import testsupport.Destination;
import testsupport.FaultCampaign;
import testsupport.MariaDb;
import testsupport.Postgres;
import testsupport.TestServers;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The quick version of the fault campaign (docs/reliability.md): each CDC source into each sink with a writer running
 * throughout and a few process faults — kill -9 at random moments, a halt between a batch's acknowledgement and its
 * offset commit, SIGTERM. Nothing lost, no deleted row alive, no value wrong, no change skipped or reordered per key.
 * {@code -Dcampaign.kills=N} sets the kill -9 per row (3 here); {@code mvn -Pcampaign verify} runs the long version.
 */
class FaultCampaignIT {

    static final int KILLS = Integer.getInteger("campaign.kills", 3);
    static final long SEED = Long.getLong("campaign.seed", 17);
    static final java.util.List<FaultCampaign.Result> RESULTS = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** The campaign table, as docs/reliability.md shows it. */
    @org.junit.jupiter.api.AfterAll
    static void printTable() {
        java.util.List<String> lines = FaultCampaign.header();
        RESULTS.forEach(r -> lines.add(r.row()));
        System.out.println("fault campaign, " + KILLS + " process faults per row, seed " + SEED + ":\n" + String.join("\n", lines));
    }

    static FaultCampaign.Result fromPostgres(String name, Destination to) throws Exception {
        Postgres pg = TestServers.postgres();
        pg.createDatabase(name);
        return record(FaultCampaign.killCampaign(name, "PostgreSQL", """
                source: {type: postgres, host: localhost, port: %d, database: %s, user: postgres, password: pw}""".formatted(pg.port(), name),
                "public", () -> pg.connect(name), "varchar", to, KILLS, SEED));
    }

    static FaultCampaign.Result fromMariaDb(String name, Destination to) throws Exception {
        MariaDb maria = TestServers.mariadb();
        maria.createDatabase(name);
        return record(FaultCampaign.killCampaign(name, "MariaDB", """
                source: {type: mariadb, host: 127.0.0.1, port: %d, user: %s, password: %s}""".formatted(maria.port(), MariaDb.USER, MariaDb.PASSWORD),
                name, () -> maria.connect(name), "varchar", to, KILLS, SEED));
    }

    static FaultCampaign.Result record(FaultCampaign.Result r) {
        RESULTS.add(r);
        return r;
    }

    static Destination kafka() {
        return Destination.kafka(TestServers.kafka().bootstrap());
    }

    /** A MariaDB database as a JDBC target. */
    static Destination intoMariaDb(String database) throws Exception {
        MariaDb maria = TestServers.mariadb();
        maria.createDatabase(database);
        ChangeWriter.Connector target = () -> maria.connect(database);
        return Destination.jdbc("JDBC → MariaDB", maria.jdbcUrl(database), MariaDb.USER, MariaDb.PASSWORD, target);
    }

    /** A PostgreSQL database as a JDBC target. */
    static Destination intoPostgres(String database) throws Exception {
        Postgres pg = TestServers.postgres();
        pg.createDatabase(database);
        return Destination.jdbc("JDBC → PostgreSQL", pg.jdbcUrl(database), "postgres", "pw", () -> pg.connect(database));
    }

    @Test
    void postgresToKafka() throws Exception {
        FaultCampaign.Result r = fromPostgres("camppg", kafka());
        assertTrue(r.clean(), r.detail());
    }

    @Test
    void mariaDbToKafka() throws Exception {
        FaultCampaign.Result r = fromMariaDb("campm", kafka());
        assertTrue(r.clean(), r.detail());
    }

    @Test
    void postgresToRocketMq() throws Exception {
        FaultCampaign.Result r = fromPostgres("camppgmq", Destination.rocketmq(TestServers.rocketmq()));
        assertTrue(r.clean(), r.detail());
    }

    @Test
    void postgresToMariaDb() throws Exception {
        FaultCampaign.Result r = fromPostgres("camppgj", intoMariaDb("camppgjt"));
        assertTrue(r.clean(), r.detail());
    }

    @Test
    void mariaDbToPostgres() throws Exception {
        FaultCampaign.Result r = fromMariaDb("campmj", intoPostgres("campmjt"));
        assertTrue(r.clean(), r.detail());
    }

    static final int OUTAGE_SECONDS = Integer.getInteger("campaign.outageSeconds", 15);
    static final int ROUNDS = Integer.getInteger("campaign.rounds", 1);

    static FaultCampaign.Result live(String name, boolean fromPostgres, Destination to, java.util.List<testsupport.LiveFault> faults)
            throws Exception {
        FaultCampaign.Result r;
        if (fromPostgres) {
            Postgres pg = TestServers.postgres();
            pg.createDatabase(name);
            r = FaultCampaign.liveCampaign(name, "PostgreSQL", """
                    source: {type: postgres, host: localhost, port: %d, database: %s, user: postgres, password: pw}""".formatted(pg.port(), name),
                    "public", () -> pg.connect(name), "varchar", to, faults, ROUNDS, SEED);
        } else {
            MariaDb maria = TestServers.mariadb();
            maria.createDatabase(name);
            r = FaultCampaign.liveCampaign(name, "MariaDB", """
                    source: {type: mariadb, host: 127.0.0.1, port: %d, user: %s, password: %s}""".formatted(maria.port(), MariaDb.USER, MariaDb.PASSWORD),
                    name, () -> maria.connect(name), "varchar", to, faults, ROUNDS, SEED);
        }
        return record(r);
    }

    @Test
    void postgresToKafkaThroughAKafkaOutageAndACutReplicationConnection() throws Exception {
        FaultCampaign.Result r = live("livepg", true, kafka(), java.util.List.of(
                testsupport.LiveFault.kafkaOutage(TestServers.kafka(), java.time.Duration.ofSeconds(OUTAGE_SECONDS)),
                testsupport.LiveFault.pgTerminateWalsender(TestServers.postgres(), "livepg")));
        assertTrue(r.clean(), r.detail());
    }

    @Test
    void mariaDbToKafkaThroughAKilledBinlogClientAndASourceRestart() throws Exception {
        FaultCampaign.Result r = live("livem", false, kafka(), java.util.List.of(
                testsupport.LiveFault.mariaDbKillBinlogClients(TestServers.mariadb()),
                testsupport.LiveFault.mariaDbRestart(TestServers.mariadb())));
        assertTrue(r.clean(), r.detail());
    }

    @Test
    void postgresToRocketMqThroughABrokerOutage() throws Exception {
        FaultCampaign.Result r = live("livepgmq", true, Destination.rocketmq(TestServers.rocketmq()), java.util.List.of(
                testsupport.LiveFault.rocketMqOutage(TestServers.rocketmq(), java.time.Duration.ofSeconds(OUTAGE_SECONDS))));
        assertTrue(r.clean(), r.detail());
    }

    @Test
    void postgresToMariaDbThroughATargetRestart() throws Exception {
        FaultCampaign.Result r = live("livepgj", true, intoMariaDb("livepgjt"), java.util.List.of(
                testsupport.LiveFault.mariaDbRestart(TestServers.mariadb())));
        assertTrue(r.clean(), r.detail());
    }
}
