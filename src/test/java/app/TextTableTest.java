package app;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TextTableTest {

    @Test
    void columnsPaddedNumbersRightAlignedNoTrailingBlanks() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TextTable.print(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                List.of(new String[]{"NAME", "OUT", "NOTE"}, new String[]{"orders", "1,234", ""}, new String[]{"a", "5", "x"}), 1);
        assertEquals("NAME      OUT  NOTE\norders  1,234\na           5  x\n", bytes.toString(StandardCharsets.UTF_8).replace("\r", ""));
    }

    @Test
    void cells() throws Exception {
        ObjectMapper json = new ObjectMapper();
        assertEquals("12,345", TextTable.count(json.readTree("12345")));
        assertEquals("-", TextTable.count(json.readTree("null")));
        assertEquals("1.5 s", TextTable.lag(json.readTree("1.5")));
        assertEquals("2.0 min", TextTable.lag(json.readTree("120")));
        assertEquals("type=postgres port=5432", TextTable.join(json.readTree("{\"type\":\"postgres\",\"password\":null,\"port\":5432}")));
        assertEquals("abc…", TextTable.shorten("abcdef", 4));
    }
}
