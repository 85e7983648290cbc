package io.debezium.time;

import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Tributary's ZonedTimestamp prints UTC values by hand: exactly what ISO_OFFSET_DATE_TIME prints. */
class ZonedTimestampTest {

    @Test
    void theHandPrintingIsTheFormattersForEveryKindOfFraction() {
        SplittableRandom random = new SplittableRandom(21);
        int[] nanoSteps = {1, 10, 1_000, 1_000_000, 1_000_000_000};
        for (int i = 0; i < 200_000; i++) {
            int step = nanoSteps[random.nextInt(nanoSteps.length)];
            OffsetDateTime t = OffsetDateTime.of(random.nextInt(0, 10_000), random.nextInt(1, 13), random.nextInt(1, 29),
                    random.nextInt(24), random.nextInt(60), random.nextInt(60), random.nextInt(1_000_000_000) / step * step, ZoneOffset.UTC);
            assertEquals(t.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME), ZonedTimestamp.toIsoString(t, null), t::toString);
        }
    }

    @Test
    void zonedValuesArePrintedAsTheFormatterOfTheirWidthPrintsThem() {
        SplittableRandom random = new SplittableRandom(22);
        int[] nanoSteps = {1, 10, 1_000, 1_000_000, 1_000_000_000};
        Integer[] widths = {null, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 35};
        ZoneId[] zones = {ZoneOffset.UTC, ZoneId.of("UTC"), ZoneId.of("Asia/Shanghai"), ZoneOffset.ofHours(-3)};
        for (int i = 0; i < 200_000; i++) {
            int step = nanoSteps[random.nextInt(nanoSteps.length)];
            Integer width = widths[random.nextInt(widths.length)];
            ZonedDateTime t = ZonedDateTime.of(random.nextInt(0, 10_000), random.nextInt(1, 13), random.nextInt(1, 29),
                    random.nextInt(24), random.nextInt(60), random.nextInt(60), random.nextInt(1_000_000_000) / step * step,
                    zones[random.nextInt(zones.length)]);
            assertEquals(t.format(ZonedTimestamp.getDateTimeFormatter(width)), ZonedTimestamp.toIsoString(t, null, width), () -> t + " width " + width);
        }
    }

    @Test
    void otherOffsetsAndYearsStillGoThroughTheFormatter() {
        OffsetDateTime[] values = {
                OffsetDateTime.of(2026, 12, 5, 11, 41, 10, 0, ZoneOffset.ofHoursMinutes(5, 30)),
                OffsetDateTime.of(12_345, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC),
                OffsetDateTime.of(-44, 3, 15, 12, 0, 0, 500, ZoneOffset.UTC),
                OffsetDateTime.of(0, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC),
        };
        for (OffsetDateTime t : values) {
            assertEquals(t.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME), ZonedTimestamp.toIsoString(t, null), t::toString);
        }
    }
}
