package formats;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Positions and transaction ids the model keeps as text: a JSON number when they are one, else text. */
class JsonValuesTest {

    private static String numeric(String value) {
        return new String(MessageBytes.of(g -> JsonValues.writeNumeric(g, value)), StandardCharsets.UTF_8);
    }

    @Test
    void aLongIsANumberAndAnythingElseText() {
        assertEquals("12345", numeric("12345"));
        assertEquals("-7", numeric("-7"));
        assertEquals("5", numeric("+5"));
        assertEquals("9223372036854775807", numeric("9223372036854775807"));
        assertEquals("\"9223372036854775808\"", numeric("9223372036854775808"), "19 digits beyond a long");
        assertEquals("\"12345678901234567890\"", numeric("12345678901234567890"));
        assertEquals("\"mariadb-bin.000001:4\"", numeric("mariadb-bin.000001:4"));
        assertEquals("\"0/16B3748\"", numeric("0/16B3748"));
        assertEquals("\"\"", numeric(""));
        assertEquals("\"-\"", numeric("-"));
        assertEquals("null", numeric(null));
    }
}
