package conditions;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RowConditionTest {

    static Map<String, Object> row(Object... kv) {
        Map<String, Object> row = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            row.put((String) kv[i], kv[i + 1]);
        }
        return row;
    }

    static Boolean eval(String condition, Object... kv) {
        return RowCondition.parse(condition).evaluate(row(kv));
    }

    @Test
    void comparisonsAndArithmetic() {
        assertTrue(eval("status <> 'draft' AND amount > 10", "status", "paid", "amount", new BigDecimal("10.01")));
        assertFalse(eval("status <> 'draft' AND amount > 10", "status", "paid", "amount", 10));
        assertTrue(eval("qty * price >= 100.5", "qty", 3, "price", new BigDecimal("33.50")));
        assertTrue(eval("id % 2 = 0 AND -id < 0", "id", 42L));
        assertTrue(eval("ratio / 2 BETWEEN 0.2 AND 0.3", "ratio", 0.5));
        assertFalse(eval("id NOT BETWEEN 1 AND 10", "id", 5));
        assertTrue(eval("region IN ('eu', 'us') AND id NOT IN (1, 2)", "region", "eu", "id", 3));
        assertTrue(eval("name LIKE 'Ap%e' AND code LIKE 'A\\_%' ESCAPE '\\\\' AND NOT name LIKE '%x%'", "name", "Apple", "code", "A_1"));
        assertTrue(eval("LOWER(name) = 'apple' AND LENGTH(名称) = 2", "name", "APPLE", "名称", "苹果"));
        assertTrue(eval("\"名称\" = '苹果'", "名称", "苹果"));
        assertTrue(eval("active AND flag = 1", "active", true, "flag", (short) 1));
        assertTrue(eval("amount = '12.50'", "amount", new BigDecimal("12.5")), "numeric column against numeric text");
    }

    @Test
    void datesAndTimes() {
        assertTrue(eval("created >= DATE '2026-11-21'", "created", LocalDateTime.parse("2026-11-21T00:00:01")));
        assertTrue(eval("created < '2026-11-21 10:15:31'", "created", LocalDateTime.parse("2026-11-21T10:15:30.5")));
        assertTrue(eval("day = '2026-11-21'", "day", LocalDate.parse("2026-11-21")));
        assertTrue(eval("at > TIMESTAMP '2026-11-21 08:00:00'", "at", Instant.parse("2026-11-21T08:00:01Z")), "timestamptz: literal read as UTC");
        assertTrue(eval("at < '2026-11-21T10:00:00+02:00'", "at", Instant.parse("2026-11-21T07:59:59Z")));
    }

    @Test
    void nullsFollowThreeValuedLogic() {
        assertNull(eval("amount > 10", "amount", null), "NULL > 10 is UNKNOWN");
        assertNull(eval("NOT (amount > 10)", "amount", null), "NOT UNKNOWN is UNKNOWN");
        assertFalse(eval("amount > 10 AND 1 = 0", "amount", null), "UNKNOWN AND FALSE is FALSE");
        assertTrue(eval("amount > 10 OR 1 = 1", "amount", null), "UNKNOWN OR TRUE is TRUE");
        assertNull(eval("amount > 10 OR 1 = 0", "amount", null));
        assertTrue(eval("amount IS NULL", "amount", null));
        assertFalse(eval("amount IS NOT NULL", "amount", null));
        assertNull(eval("id IN (1, NULL)", "id", 2), "2 IN (1, NULL) is UNKNOWN");
        assertTrue(eval("id IN (1, NULL)", "id", 1));
        assertNull(eval("id NOT IN (1, NULL)", "id", 2), "the NOT IN trap: UNKNOWN, so the row is dropped");
        assertTrue(eval("COALESCE(amount, 0) = 0", "amount", null));
        assertNull(eval("amount / 0 > 1", "amount", 5), "division by zero is NULL");
        assertFalse(RowCondition.parse("amount > 10").test(row("amount", null)), "only TRUE passes");
    }

    @Test
    void columnsAreKnownAndBadConditionsSayWhy() {
        assertEquals(Set.of("status", "amount", "名称"), RowCondition.parse("status = 'x' OR amount > 1 AND \"名称\" IS NULL").columns());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RowCondition.parse("amount >")).getMessage().startsWith("not a SQL condition"));
        assertEquals("function NOW is not supported in a row filter (supported: LOWER, UPPER, LENGTH, CHAR_LENGTH, TRIM, ABS, COALESCE)",
                assertThrows(IllegalArgumentException.class, () -> RowCondition.parse("created > NOW()")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RowCondition.parse("id IN (SELECT id FROM t)")).getMessage()
                .contains("not supported"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RowCondition.parse("day = DATE '2026-13-45'")).getMessage()
                .contains("is not a date"));
    }

    @Test
    void aValueIsNotACondition() {
        for (String notCondition : java.util.List.of("-7", "42", "'yes'", "amount + 1", "(3)", "NULL", "name || 'x'")) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> RowCondition.parse(notCondition), notCondition);
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("not true or false"), e.getMessage());
        }
        RowCondition.parse("active"); // a boolean column
        RowCondition.parse("COALESCE(active, false)");
    }
}
