package formats;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The hand-written date/time and decimal text is exactly what the JDK formatters and toPlainString() write. */
class IsoTextTest {

    @Test
    void dateTimeTextEqualsTheIsoFormatters() {
        Random random = new Random(1);
        int[] nanos = {0, 1, 10, 100, 1_000, 123_000, 500_000_000, 123_456_000, 123_456_789, 999_999_999, 100_000_000, 120_000};
        for (int i = 0; i < 20_000; i++) {
            long second = random.nextLong(-62_135_596_800L, 253_402_300_799L); // years 0001..9999
            int nano = i % 3 == 0 ? nanos[random.nextInt(nanos.length)] : random.nextInt(1_000_000_000);
            Instant instant = Instant.ofEpochSecond(second, nano);
            LocalDateTime local = LocalDateTime.ofEpochSecond(second, nano, java.time.ZoneOffset.UTC);
            assertEquals(DateTimeFormatter.ISO_INSTANT.format(instant), IsoText.of(instant));
            assertEquals(DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(local), IsoText.of(local));
            assertEquals(DateTimeFormatter.ISO_LOCAL_TIME.format(local.toLocalTime()), IsoText.of(local.toLocalTime()));
            assertEquals(DateTimeFormatter.ISO_LOCAL_DATE.format(local.toLocalDate()), IsoText.of(local.toLocalDate()));
        }
        assertEquals("+10000-01-01T00:00:00Z", IsoText.of(Instant.parse("+10000-01-01T00:00:00Z")), "out of range: the formatter");
        assertEquals("00:00:00", IsoText.of(LocalTime.MIDNIGHT));
        assertEquals("-0001-01-01", IsoText.of(LocalDate.of(-1, 1, 1)));
    }

    @Test
    void decimalsArePlainWithTheirScale() throws Exception {
        Random random = new Random(2);
        String[] fixed = {"0", "0.00", "12.50", "-0.05", "1E+3", "123456789012345678", "1234567890123456789.5", "-999999999999999999",
                "0.000000000000000001", "1E-20", "-12.3400"};
        for (String f : fixed) {
            check(new BigDecimal(f));
        }
        for (int i = 0; i < 20_000; i++) {
            check(BigDecimal.valueOf(random.nextLong() >> random.nextInt(63), random.nextInt(-3, 22)));
        }
    }

    private static void check(BigDecimal d) throws Exception {
        ByteArrayBuilder out = new ByteArrayBuilder();
        try (JsonGenerator g = JsonValues.JSON.createGenerator(out)) {
            JsonValues.writeDecimal(g, d);
        }
        assertEquals(d.toPlainString(), new String(out.toByteArray(), StandardCharsets.UTF_8), d::toString);
    }
}
