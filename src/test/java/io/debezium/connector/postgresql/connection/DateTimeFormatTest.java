package io.debezium.connector.postgresql.connection;

import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Tributary's DateTimeFormat reads PostgreSQL's plain timestamptz text by hand: the same instant and offset as
 * Debezium's formatter reading, and every other text is left to that formatter.
 */
class DateTimeFormatTest {

    /** How PostgreSQL prints a timestamptz: the fraction without trailing zeros, the offset as +HH or +HH:MM. */
    private static final DateTimeFormatter POSTGRES = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd HH:mm:ss").optionalStart().appendFraction(java.time.temporal.ChronoField.NANO_OF_SECOND, 0, 6, true)
            .optionalEnd().appendOffset("+HH:mm", "+00").toFormatter();

    @Test
    void theHandReadingIsTheFormattersOverManyValuesAndOffsets() {
        SplittableRandom random = new SplittableRandom(5);
        int[] offsets = {0, 3600, -3600, 19_800, -34_200, 50_400, -43_200};
        for (int i = 0; i < 100_000; i++) {
            OffsetDateTime t = OffsetDateTime.of(random.nextInt(1, 10_000), random.nextInt(1, 13), random.nextInt(1, 29), random.nextInt(24),
                    random.nextInt(60), random.nextInt(60), random.nextInt(1_000_000) * 1000, ZoneOffset.ofTotalSeconds(offsets[random.nextInt(offsets.length)]));
            String text = t.format(POSTGRES);
            OffsetDateTime byHand = DateTimeFormat.ISODateTimeFormat.plainTimestampWithTimeZone(text);
            assertEquals(t, byHand, text);
            assertEquals(viaFormatter(text), DateTimeFormat.get().timestampWithTimeZoneToOffsetDateTime(text), text);
        }
    }

    @Test
    void textsOfAnotherShapeAreLeftToTheFormatter() {
        String[] others = {"0044-03-15 12:00:00+00 BC", "12345-01-01 00:00:00+00", "1900-01-01 00:00:00+00:19:32", "2026-12-05 11:41:10",
                "2026-12-05 11:41+00", "2026-12-05T11:41:10+00", "2026-12-05 11:41:10.+00", "2026-12-05 11:41:10.1234567890+00",
                "2026-13-05 11:41:10+00", "2026-12-05 11:41:10+0530", "infinity"};
        for (String text : others) {
            assertNull(DateTimeFormat.ISODateTimeFormat.plainTimestampWithTimeZone(text), text);
        }
        assertEquals(viaFormatter("0044-03-15 12:00:00+00 BC"), DateTimeFormat.get().timestampWithTimeZoneToOffsetDateTime("0044-03-15 12:00:00+00 BC"));
        assertEquals(OffsetDateTime.of(1900, 1, 1, 0, 0, 0, 0, ZoneOffset.ofHoursMinutesSeconds(0, 19, 32)),
                DateTimeFormat.get().timestampWithTimeZoneToOffsetDateTime("1900-01-01 00:00:00+00:19:32"));
        assertThrows(ConnectException.class, () -> DateTimeFormat.get().timestampWithTimeZoneToOffsetDateTime("2026-13-05 11:41:10+00"));
    }

    /** Debezium's own reading, as its class does it. */
    private static OffsetDateTime viaFormatter(String text) {
        DateTimeFormatter nonIsoDate = new DateTimeFormatterBuilder()
                .appendValue(java.time.temporal.ChronoField.YEAR_OF_ERA, 4, 10, java.time.format.SignStyle.NEVER).appendLiteral('-')
                .appendValue(java.time.temporal.ChronoField.MONTH_OF_YEAR, 2).appendLiteral('-')
                .appendValue(java.time.temporal.ChronoField.DAY_OF_MONTH, 2).toFormatter();
        DateTimeFormatter tz = new DateTimeFormatterBuilder().append(nonIsoDate).appendLiteral(' ').append(DateTimeFormatter.ISO_LOCAL_TIME)
                .appendOffset("+HH:mm", "").optionalStart().appendLiteral(" ")
                .appendText(java.time.temporal.ChronoField.ERA, java.time.format.TextStyle.SHORT).optionalEnd().toFormatter();
        return OffsetDateTime.from(tz.parse(text));
    }
}
