package sinks.jdbc;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The generated SQL of each dialect; PostgreSQL and MariaDB are also run against real servers by the ITs. */
class DialectTest {

    static final Map<String, String> TYPES = new LinkedHashMap<>();

    static {
        TYPES.put("region", "TEXT");
        TYPES.put("id", "INT4");
        TYPES.put("price", "NUMERIC(12,2)");
        TYPES.put("attrs", "JSONB");
        TYPES.put("created_tz", "TIMESTAMPTZ");
    }

    static final List<String> COLUMNS = List.copyOf(TYPES.keySet());
    static final List<String> KEY = List.of("region", "id");

    @Test
    void postgresUpsertsWithOnConflictAndCastsJson() {
        Dialect d = Dialects.forUrl("jdbc:postgresql://h/db");
        assertEquals("INSERT INTO \"public\".\"items\" (\"region\", \"id\", \"price\", \"attrs\", \"created_tz\") VALUES (?, ?, ?, CAST(? AS jsonb), ?)"
                + " ON CONFLICT (\"region\", \"id\") DO UPDATE SET \"price\" = EXCLUDED.\"price\", \"attrs\" = EXCLUDED.\"attrs\", "
                + "\"created_tz\" = EXCLUDED.\"created_tz\"", d.upsert("public.items", COLUMNS, KEY, TYPES));
        assertEquals("INSERT INTO \"t\" (\"id\") VALUES (?) ON CONFLICT (\"id\") DO NOTHING", d.upsert("t", List.of("id"), List.of("id"), Map.of("id", "INT4")));
        assertEquals("INSERT INTO \"t\" (\"id\", \"attrs\") VALUES (?, CAST(? AS jsonb)), (?, CAST(? AS jsonb)), (?, CAST(? AS jsonb)) ON CONFLICT (\"id\") "
                + "DO UPDATE SET \"attrs\" = EXCLUDED.\"attrs\"", d.upsert("t", List.of("id", "attrs"), List.of("id"), TYPES, 3));
        assertEquals(128, d.rowsPerStatement(10));
        assertEquals(64, d.rowsPerStatement(300)); // 32,767 parameters at most: 109 rows, a power of two below
        assertEquals(1, d.rowsPerStatement(40_000));
        assertEquals("DELETE FROM \"items\" WHERE \"region\" = ? AND \"id\" = ?", d.delete("items", KEY, TYPES));
        assertEquals("CREATE TABLE IF NOT EXISTS \"items\" (\"region\" TEXT NOT NULL, \"id\" INTEGER NOT NULL, \"price\" DECIMAL(12,2), "
                + "\"attrs\" JSONB, \"created_tz\" TIMESTAMP(6) WITH TIME ZONE, PRIMARY KEY (\"region\", \"id\"))", d.createTable("items", TYPES, KEY));
        assertEquals("ALTER TABLE \"items\" ADD \"note\" TEXT", d.addColumn("items", "note", "text"));
        assertEquals("\"we\"\"ird\"", d.quote("we\"ird"));
    }

    @Test
    void mysqlMariaDbAndOceanBaseUpsertOnDuplicateKey() {
        for (String url : List.of("jdbc:mysql://h/db", "jdbc:mariadb://h/db", "jdbc:oceanbase://h/db")) {
            Dialect d = Dialects.forUrl(url);
            assertEquals("INSERT INTO `items` (`region`, `id`, `price`, `attrs`, `created_tz`) VALUES (?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE "
                    + "`price` = VALUES(`price`), `attrs` = VALUES(`attrs`), `created_tz` = VALUES(`created_tz`)", d.upsert("items", COLUMNS, KEY, TYPES));
        }
        Dialect d = Dialects.forUrl("jdbc:mysql://h/db");
        assertEquals("INSERT INTO `t` (`id`) VALUES (?) ON DUPLICATE KEY UPDATE `id` = VALUES(`id`)", d.upsert("t", List.of("id"), List.of("id"), Map.of("id", "INT4")));
        assertEquals("CREATE TABLE IF NOT EXISTS `items` (`region` VARCHAR(255) NOT NULL, `id` INTEGER NOT NULL, `price` DECIMAL(12,2), `attrs` JSON, "
                + "`created_tz` DATETIME(6), PRIMARY KEY (`region`, `id`)) DEFAULT CHARSET=utf8mb4", d.createTable("items", TYPES, KEY));
        assertEquals("`db`.`ta``ble`", d.quote("db.ta`ble"));
        assertEquals(1, d.rowsPerStatement(10)); // one row per statement: not measured on MySQL yet
    }

    @Test
    void sqlServerMergesWithHoldlock() {
        Dialect d = Dialects.forUrl("jdbc:sqlserver://h;databaseName=db");
        assertEquals("MERGE INTO [dbo].[items] WITH (HOLDLOCK) AS t USING (SELECT ? AS [region], ? AS [id], ? AS [price], ? AS [attrs], ? AS [created_tz]) AS s "
                + "ON (t.[region] = s.[region] AND t.[id] = s.[id]) WHEN MATCHED THEN UPDATE SET t.[price] = s.[price], t.[attrs] = s.[attrs], "
                + "t.[created_tz] = s.[created_tz] WHEN NOT MATCHED THEN INSERT ([region], [id], [price], [attrs], [created_tz]) "
                + "VALUES (s.[region], s.[id], s.[price], s.[attrs], s.[created_tz]);", d.upsert("dbo.items", COLUMNS, KEY, TYPES));
        assertEquals("IF OBJECT_ID(N'items', N'U') IS NULL CREATE TABLE [items] ([region] NVARCHAR(450) NOT NULL, [id] INTEGER NOT NULL, "
                + "[price] DECIMAL(12,2), [attrs] NVARCHAR(MAX), [created_tz] DATETIMEOFFSET(6), PRIMARY KEY ([region], [id]))", d.createTable("items", TYPES, KEY));
        assertEquals("DELETE FROM [items] WHERE [region] = ? AND [id] = ?", d.delete("items", KEY, TYPES));
        assertEquals(1, d.rowsPerStatement(10)); // one MERGE per row
    }

    @Test
    void typeMappingPerDialect() {
        Dialect pg = Dialects.forUrl("jdbc:postgresql://h/db");
        Dialect my = Dialects.forUrl("jdbc:mariadb://h/db");
        Dialect ms = Dialects.forUrl("jdbc:sqlserver://h");
        assertEquals(List.of("BYTEA", "LONGBLOB", "VARBINARY(MAX)"), List.of(pg.columnType("bytea"), my.columnType("bytea"), ms.columnType("bytea")));
        assertEquals(List.of("UUID", "CHAR(36)", "UNIQUEIDENTIFIER"), List.of(pg.columnType("uuid"), my.columnType("uuid"), ms.columnType("uuid")));
        assertEquals(List.of("BOOLEAN", "BOOLEAN", "BIT"), List.of(pg.columnType("bool"), my.columnType("bool"), ms.columnType("bool")));
        assertEquals(List.of("VARCHAR(40)", "VARCHAR(40)", "NVARCHAR(40)"), List.of(pg.columnType("VARCHAR(40)"), my.columnType("VARCHAR(40)"), ms.columnType("VARCHAR(40)")));
        assertEquals(List.of("NUMERIC", "DECIMAL(65,30)", "DECIMAL(38,10)"), List.of(pg.columnType("numeric"), my.columnType("numeric"), ms.columnType("numeric")));
        assertEquals("TIMESTAMP(6)", pg.columnType("timestamp"));
        assertEquals("DOUBLE PRECISION", pg.columnType("float8"));
        assertEquals("JSON", pg.columnType("json"));
    }

    @Test
    void unknownUrlsAreRefusedWithoutShowingAPassword() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Dialects.forUrl("jdbc:db2://h/db;password=hunter2"));
        assertTrue(e.getMessage().contains("password=******") && !e.getMessage().contains("hunter2"), e.getMessage());
    }
}
