package faults;

import org.junit.jupiter.api.Test;
import testsupport.ChangeWriter;
import testsupport.Destination;
import testsupport.FaultCampaign;
import testsupport.MariaDb;
import testsupport.Postgres;
import testsupport.TestServers;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The quick version of the fault campaign (docs/reliability.md): each source (PostgreSQL, MariaDB, JDBC polling) into
 * each sink with a writer running throughout and a few process faults — kill -9 at random moments, a halt between a
 * batch's acknowledgement and its offset commit, a halt with the offsets file half written, SIGTERM — and the live
 * faults (servers restarted or away, connections cut, network faults). Nothing lost, no deleted row alive, no value wrong, no change skipped or reordered per key.
 * {@code -Dcampaign.kills=N} sets the kill -9 per row (2 here); some rows run only in the full campaign; {@code mvn -Pcampaign verify} runs the long version.
 */
class FaultCampaignIT {

    static final int KILLS = Integer.getInteger("campaign.kills", 2);
    /** The rows only the full campaign runs (-Pcampaign): the quick version keeps every sink and source once. */
    static final boolean FULL = Boolean.getBoolean("campaign.full");
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
        return record(FaultCampaign.killCampaign(name, FaultCampaign.Source.postgres(name), to, KILLS, SEED));
    }

    static FaultCampaign.Result fromMariaDb(String name, Destination to) throws Exception {
        return record(FaultCampaign.killCampaign(name, FaultCampaign.Source.mariaDb(name), to, KILLS, SEED));
    }

    /** Keeps the row for the table and fails the test unless nothing was lost, alive, wrong or skipped. */
    static FaultCampaign.Result record(FaultCampaign.Result r) {
        RESULTS.add(r);
        assertTrue(r.clean(), r.detail());
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
        fromPostgres("camppg", kafka());
    }

    @Test
    void mariaDbToKafka() throws Exception {
        fromMariaDb("campm", kafka());
    }

    @Test
    void postgresToRocketMq() throws Exception {
        fromPostgres("camppgmq", Destination.rocketmq(TestServers.rocketmq()));
    }

    @Test
    void mariaDbToRocketMq() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(FULL, "full campaign only (-Pcampaign)");
        fromMariaDb("campmmq", Destination.rocketmq(TestServers.rocketmq()));
    }

    @Test
    void postgresToHdfs() throws Exception {
        fromPostgres("camppgh", Destination.hdfs(TestServers.hdfs()));
    }

    @Test
    void mariaDbToHdfs() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(FULL, "full campaign only (-Pcampaign)");
        fromMariaDb("campmh", Destination.hdfs(TestServers.hdfs()));
    }

    @Test
    void postgresToMariaDb() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(FULL, "full campaign only (-Pcampaign)");
        fromPostgres("camppgj", intoMariaDb("camppgjt"));
    }

    @Test
    void mariaDbToPostgres() throws Exception {
        fromMariaDb("campmj", intoPostgres("campmjt"));
    }

    @Test
    void polledPostgresToMariaDb() throws Exception {
        record(FaultCampaign.killCampaign("camppoll", FaultCampaign.Source.polledPostgres("camppoll"), intoMariaDb("camppollt"), KILLS, SEED));
    }

    @Test
    void polledPostgresToKafka() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(FULL, "full campaign only (-Pcampaign)");
        record(FaultCampaign.killCampaign("camppollk", FaultCampaign.Source.polledPostgres("camppollk"), kafka(), KILLS, SEED));
    }

    @Test
    void polledPostgresToRocketMq() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(FULL, "full campaign only (-Pcampaign)");
        record(FaultCampaign.killCampaign("camppollmq", FaultCampaign.Source.polledPostgres("camppollmq"),
                Destination.rocketmq(TestServers.rocketmq()), KILLS, SEED));
    }

    @Test
    void polledPostgresToHdfs() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(FULL, "full campaign only (-Pcampaign)");
        record(FaultCampaign.killCampaign("camppollh", FaultCampaign.Source.polledPostgres("camppollh"), Destination.hdfs(TestServers.hdfs()),
                KILLS, SEED));
    }

    @Test
    void polledPostgresToPostgres() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(FULL, "full campaign only (-Pcampaign)");
        record(FaultCampaign.killCampaign("camppollj", FaultCampaign.Source.polledPostgres("camppollj"), intoPostgres("camppolljt"),
                KILLS, SEED));
    }

    static final int OUTAGE_SECONDS = Integer.getInteger("campaign.outageSeconds", 15);
    static final int ROUNDS = Integer.getInteger("campaign.rounds", 1);

    static FaultCampaign.Result live(String name, boolean fromPostgres, Destination to, java.util.List<testsupport.LiveFault> faults)
            throws Exception {
        FaultCampaign.Source source = fromPostgres ? FaultCampaign.Source.postgres(name) : FaultCampaign.Source.mariaDb(name);
        return record(FaultCampaign.liveCampaign(name, source, to, faults, ROUNDS, SEED));
    }

    /** On a PostgreSQL of its own, which can restart on its data. */
    @Test
    void postgresToKafkaThroughAKafkaOutageACutReplicationConnectionAndASourceRestart() throws Exception {
        try (testsupport.Postgres pg = testsupport.Postgres.restartable()) {
            testsupport.LiveFault outage = testsupport.LiveFault.kafkaOutage(TestServers.kafka(), java.time.Duration.ofSeconds(OUTAGE_SECONDS));
            FaultCampaign.Result r = record(FaultCampaign.liveCampaign("livepg", FaultCampaign.Source.postgres(pg, "livepg", pg.port()), kafka(),
                    java.util.List.of(outage, testsupport.LiveFault.pgTerminateWalsender(pg, "livepg"), testsupport.LiveFault.postgresRestart(pg)),
                    ROUNDS, SEED));
            // an outage shorter than the delivery timeout (30 s) raises no error: the status shows the batch waiting
            // (a longer one shows failed batches too, each after waiting the delivery timeout)
            assertTrue(r.longestSinkWaitSeconds().get(outage.label()) >= Math.min(OUTAGE_SECONDS, 20) / 2.0, r.longestSinkWaitSeconds().toString());
        }
    }

    @Test
    void mariaDbToKafkaThroughAKilledBinlogClientAndASourceRestart() throws Exception {
        FaultCampaign.Result r = live("livem", false, kafka(), java.util.List.of(
                testsupport.LiveFault.mariaDbKillBinlogClients(TestServers.mariadb()),
                testsupport.LiveFault.mariaDbRestart(TestServers.mariadb())));
        assertTrue(r.clean(), r.detail());
    }

    @Test
    void postgresToHdfsThroughDataNodeAndNameNodeRestarts() throws Exception {
        FaultCampaign.Result r = live("livepgh", true, Destination.hdfs(TestServers.hdfs()), java.util.List.of(
                testsupport.LiveFault.hdfsDataNodeRestart(TestServers.hdfs()),
                testsupport.LiveFault.hdfsNameNodeRestart(TestServers.hdfs())));
        assertTrue(r.clean(), r.detail());
    }

    @Test
    void postgresToRocketMqThroughABrokerOutage() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(FULL, "full campaign only (-Pcampaign)");
        FaultCampaign.Result r = live("livepgmq", true, Destination.rocketmq(TestServers.rocketmq()), java.util.List.of(
                testsupport.LiveFault.rocketMqOutage(TestServers.rocketmq(), java.time.Duration.ofSeconds(OUTAGE_SECONDS))));
        assertTrue(r.clean(), r.detail());
    }

    @Test
    void postgresToMariaDbThroughATargetRestart() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(FULL, "full campaign only (-Pcampaign)");
        FaultCampaign.Result r = live("livepgj", true, intoMariaDb("livepgjt"), java.util.List.of(
                testsupport.LiveFault.mariaDbRestart(TestServers.mariadb())));
        assertTrue(r.clean(), r.detail());
    }

    @Test
    void postgresToKafkaThroughNetworkFaults() throws Exception {
        try (testsupport.TcpProxy proxy = new testsupport.TcpProxy("127.0.0.1", TestServers.postgres().port())) {
            record(FaultCampaign.liveCampaign("netpg", FaultCampaign.Source.postgres("netpg", proxy.port()), kafka(), java.util.List.of(
                    testsupport.LiveFault.blackhole(proxy, java.time.Duration.ofSeconds(FULL ? 30 : 10)),
                    testsupport.LiveFault.connectionReset(proxy),
                    testsupport.LiveFault.latency(proxy, java.time.Duration.ofMillis(200), java.time.Duration.ofSeconds(10))), ROUNDS, SEED));
        }
    }
}
