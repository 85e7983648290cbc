package config;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TablePatternsTest {

    @Test
    void wildcardsMatchRunsOfCharactersAndNothingElseIsSpecial() {
        assertTrue(TablePatterns.matches("orders", "orders"));
        assertFalse(TablePatterns.matches("orders", "orders2"));
        assertTrue(TablePatterns.matches("order_*", "order_items"));
        assertTrue(TablePatterns.matches("order_*", "order_"));
        assertFalse(TablePatterns.matches("order_*", "orderXitems"), "_ is literal, not SQL LIKE's any-char");
        assertTrue(TablePatterns.matches("*_log", "audit_log"));
        assertTrue(TablePatterns.matches("*", "anything"));
        assertTrue(TablePatterns.matches("t$1", "t$1"));
        assertEquals("\\Qorder_\\E.*\\Q\\E", TablePatterns.toRegex("order_*").pattern());
    }

    @Test
    void validNames() {
        assertTrue(TablePatterns.VALID.matcher("orders").matches());
        assertTrue(TablePatterns.VALID.matcher("订单").matches());
        assertTrue(TablePatterns.VALID.matcher("*").matches());
        assertFalse(TablePatterns.VALID.matcher("a-b").matches());
        assertFalse(TablePatterns.VALID.matcher("").matches());
        assertFalse(TablePatterns.VALID.matcher("1abc").matches());
    }
}
