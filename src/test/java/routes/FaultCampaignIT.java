package routes;

import org.junit.jupiter.api.Test;
import testsupport.FaultCampaign;
import testsupport.MariaDb;
import testsupport.Postgres;
import testsupport.TestServers;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The quick version of the fault campaign (docs/reliability.md): each CDC source into Kafka with a writer running
 * throughout and a few process faults — kill -9 at random moments, a halt between a batch's acknowledgement and its
 * offset commit, SIGTERM. Nothing lost, no deleted row alive, no value wrong, no change skipped or reordered per key.
 * {@code mvn -Pcampaign verify} runs the long version.
 */
class FaultCampaignIT {

    static final int KILLS = Integer.getInteger("campaign.kills", 4);
    final String kafka = TestServers.kafka().bootstrap();

    @Test
    void postgresToKafka() throws Exception {
        Postgres pg = TestServers.postgres();
        pg.createDatabase("camppg");
        FaultCampaign.Result r = FaultCampaign.killCampaign("camppg", "PostgreSQL", """
                source: {type: postgres, host: localhost, port: %d, database: camppg, user: postgres, password: pw}""".formatted(pg.port()),
                "public", () -> pg.connect("camppg"), "varchar", kafka, KILLS, Long.getLong("campaign.seed", 17));
        assertTrue(r.clean(), r.detail());
    }

    @Test
    void mariaDbToKafka() throws Exception {
        MariaDb maria = TestServers.mariadb();
        maria.createDatabase("campm");
        FaultCampaign.Result r = FaultCampaign.killCampaign("campm", "MariaDB", """
                source: {type: mariadb, host: 127.0.0.1, port: %d, user: %s, password: %s}""".formatted(maria.port(), MariaDb.USER, MariaDb.PASSWORD),
                "campm", () -> maria.connect("campm"), "varchar", kafka, KILLS, Long.getLong("campaign.seed", 17));
        assertTrue(r.clean(), r.detail());
    }
}
