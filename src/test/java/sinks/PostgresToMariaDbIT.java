package sinks;

import org.junit.jupiter.api.Test;
import testsupport.MariaDb;
import testsupport.RunningTributary;
import testsupport.TestServers;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** PostgreSQL → MariaDB through the JDBC sink (MySQL dialect): after the same mixed workload, equal value by value. */
class PostgresToMariaDbIT {

    final MariaDb maria = TestServers.mariadb();

    /** Every row of items as text built from typed reads; timestamptz compared as the instant (MariaDB holds it as UTC). */
    static List<String> items(Connection c, boolean postgres) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT region, id, name, price, ratio, score, qty, small, active, "
                + "photo, day, at_time, created, created_tz, attrs, uid FROM items ORDER BY region, id")) {
            while (rs.next()) {
                List<Object> v = new ArrayList<>();
                v.add(rs.getString(1));
                v.add(rs.getInt(2));
                v.add(rs.getString(3));
                v.add(rs.getBigDecimal(4) == null ? null : rs.getBigDecimal(4).toPlainString());
                v.add(rs.getObject(5) == null ? null : rs.getDouble(5));
                v.add(rs.getObject(6) == null ? null : rs.getFloat(6));
                v.add(rs.getObject(7) == null ? null : rs.getLong(7));
                v.add(rs.getObject(8) == null ? null : rs.getShort(8));
                v.add(rs.getObject(9) == null ? null : rs.getBoolean(9));
                v.add(rs.getBytes(10) == null ? null : HexFormat.of().formatHex(rs.getBytes(10)));
                v.add(rs.getObject(11, LocalDate.class));
                v.add(rs.getObject(12, LocalTime.class));
                v.add(rs.getObject(13, LocalDateTime.class));
                v.add(postgres ? (rs.getObject(14) == null ? null : rs.getObject(14, OffsetDateTime.class).toInstant())
                        : (rs.getObject(14) == null ? null : rs.getObject(14, LocalDateTime.class).toInstant(ZoneOffset.UTC)));
                v.add(rs.getString(15));
                v.add(rs.getString(16));
                rows.add(v.toString());
            }
        }
        return rows;
    }

    static List<String> counters(Connection c) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id, n, note FROM counters ORDER BY id")) {
            while (rs.next()) {
                rows.add(rs.getInt(1) + "|" + rs.getInt(2) + "|" + rs.getString(3));
            }
        }
        return rows;
    }

    @Test
    void theMariaDbTargetEqualsThePostgresSource() throws Exception {
        PostgresToJdbcIT pgSide = new PostgresToJdbcIT();
        pgSide.pg.createDatabase("msrc");
        pgSide.createSourceTables("msrc");
        maria.createDatabase("mdst");
        String file = """
                pipeline: to-maria
                source: {type: postgres, host: localhost, port: %d, database: msrc, user: postgres, password: pw}
                mode: full-and-incremental
                objects: [{table: public.items}, {table: public.counters}]
                sink: {type: jdbc, url: "%s", user: %s, password: %s, autoCreate: true, autoEvolve: true}
                """.formatted(pgSide.pg.port(), maria.jdbcUrl("mdst"), MariaDb.USER, MariaDb.PASSWORD);
        try (RunningTributary t = new RunningTributary(file)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> t.get("/api/pipelines/to-maria").body().contains("\"state\":\"RUNNING\""));
            int changes = pgSide.runWorkload("msrc");
            List<String> sourceItems;
            List<String> sourceCounters;
            try (Connection c = TestServers.postgres().connect("msrc")) {
                sourceItems = items(c, true);
                sourceCounters = counters(c);
            }
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() -> {
                try (Connection c = maria.connect("mdst")) {
                    return items(c, false).equals(sourceItems) && counters(c).equals(sourceCounters);
                }
            });
            try (Connection c = maria.connect("mdst")) {
                assertEquals(sourceItems, items(c, false));
                assertEquals(sourceCounters, counters(c));
            }
            System.out.printf("jdbc sink → MariaDB: %d source changes after a 5,000-row snapshot; %d + %d rows equal value by value%n",
                    changes, sourceItems.size(), sourceCounters.size());
        }
    }
}
