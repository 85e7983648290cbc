package formats;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * ISO-8601 text of date/time values, character for character what {@link DateTimeFormatter#ISO_LOCAL_DATE},
 * {@code ISO_LOCAL_TIME}, {@code ISO_LOCAL_DATE_TIME} and {@code ISO_INSTANT} write, without their per-call
 * formatting context (a tenth of the JSON encoding time). Written by hand because it is on the path of every event;
 * years outside 0000–9999 go to the formatters.
 */
final class IsoText {

    private IsoText() {
    }

    static String of(LocalDate d) {
        if (d.getYear() < 0 || d.getYear() > 9999) {
            return DateTimeFormatter.ISO_LOCAL_DATE.format(d);
        }
        char[] b = new char[10];
        return new String(b, 0, date(b, 0, d.getYear(), d.getMonthValue(), d.getDayOfMonth()));
    }

    static String of(LocalTime t) {
        char[] b = new char[18];
        return new String(b, 0, time(b, 0, t.getHour(), t.getMinute(), t.getSecond(), t.getNano(), false));
    }

    static String of(LocalDateTime t) {
        if (t.getYear() < 0 || t.getYear() > 9999) {
            return DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(t);
        }
        char[] b = new char[29];
        int p = date(b, 0, t.getYear(), t.getMonthValue(), t.getDayOfMonth());
        b[p++] = 'T';
        return new String(b, 0, time(b, p, t.getHour(), t.getMinute(), t.getSecond(), t.getNano(), false));
    }

    /** In UTC with 'Z'; the fraction in groups of three digits, as {@code ISO_INSTANT} and {@link Instant#toString()}. */
    static String of(Instant i) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(i.getEpochSecond(), i.getNano(), ZoneOffset.UTC);
        if (t.getYear() < 0 || t.getYear() > 9999) {
            return DateTimeFormatter.ISO_INSTANT.format(i);
        }
        char[] b = new char[30];
        int p = date(b, 0, t.getYear(), t.getMonthValue(), t.getDayOfMonth());
        b[p++] = 'T';
        p = time(b, p, t.getHour(), t.getMinute(), t.getSecond(), t.getNano(), true);
        b[p++] = 'Z';
        return new String(b, 0, p);
    }

    private static int date(char[] b, int p, int year, int month, int day) {
        p = digits(b, p, year, 4);
        b[p++] = '-';
        p = digits(b, p, month, 2);
        b[p++] = '-';
        return digits(b, p, day, 2);
    }

    /** HH:mm:ss, then the fraction: none for 0; else trailing zeros dropped, or kept to a group of three. */
    private static int time(char[] b, int p, int hour, int minute, int second, int nano, boolean groupsOfThree) {
        p = digits(b, p, hour, 2);
        b[p++] = ':';
        p = digits(b, p, minute, 2);
        b[p++] = ':';
        p = digits(b, p, second, 2);
        if (nano == 0) {
            return p;
        }
        b[p++] = '.';
        int width = 9;
        int n = nano;
        if (groupsOfThree) {
            while (width > 3 && n % 1000 == 0) {
                n /= 1000;
                width -= 3;
            }
        } else {
            while (n % 10 == 0) {
                n /= 10;
                width--;
            }
        }
        return digits(b, p, n, width);
    }

    private static int digits(char[] b, int p, int value, int width) {
        for (int i = width - 1; i >= 0; i--) {
            b[p + i] = (char) ('0' + value % 10);
            value /= 10;
        }
        return p + width;
    }
}
