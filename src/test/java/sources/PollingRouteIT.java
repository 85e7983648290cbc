package sources;

import org.junit.jupiter.api.Test;
import testsupport.Postgres;
import testsupport.RunningTributary;
import testsupport.TestServers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The JDBC polling source as an endpoint of a hand-written route (the shipped example polling-to-jdbc.camel.yaml). */
class PollingRouteIT {

    static String rows(Postgres pg, String database, String table) {
        try (Connection c = pg.connect(database); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) || ':' || coalesce(md5(string_agg(id || '/' || name, ',' ORDER BY id)), '-') FROM " + table)) {
            rs.next();
            return rs.getString(1);
        } catch (java.sql.SQLException e) {
            return "(" + e.getMessage() + ")";
        }
    }

    @Test
    void aPolledTableIsCopiedByAHandWrittenRoute() throws Exception {
        Postgres pg = TestServers.postgres();
        pg.createDatabase("legacy");
        pg.createDatabase("legacycopy");
        pg.execute("legacy", "CREATE TABLE items (id serial PRIMARY KEY, name text NOT NULL)",
                "INSERT INTO items (name) SELECT 'item ' || g FROM generate_series(1, 1000) g");
        try (RunningTributary t = new RunningTributary(Map.of(
                "routes/legacy.camel.yaml", Files.readString(Path.of("src/main/resources/routes/polling-to-jdbc.camel.yaml")),
                "application.properties", """
                        legacy.url=jdbc:postgresql://localhost:%d/legacy
                        legacy.user=postgres
                        legacy.password=pw
                        target.url=jdbc:postgresql://localhost:%d/legacycopy
                        target.user=postgres
                        target.password=pw
                        """.formatted(pg.port(), pg.port())))) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> rows(pg, "legacycopy", "items_copy").equals(rows(pg, "legacy", "items")));
            pg.execute("legacy", "INSERT INTO items (name) SELECT 'later ' || g FROM generate_series(1, 500) g");
            String source = rows(pg, "legacy", "items");
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> rows(pg, "legacycopy", "items_copy").equals(source));
            assertEquals("1500", source.substring(0, source.indexOf(':')));
            System.out.printf("polling route: items_copy equals items (%s)%n", source);
        }
    }
}
