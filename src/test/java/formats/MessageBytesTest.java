package formats;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The generator and buffer a thread keeps from one message to the next leave nothing of one message in the next. */
class MessageBytesTest {

    private static String text(ChangeEventFormat.Writing w) {
        return new String(MessageBytes.of(w), StandardCharsets.UTF_8);
    }

    @Test
    void consecutiveMessagesAreEachOneWholeValue() {
        for (int i = 0; i < 3; i++) {
            int n = i;
            assertEquals("{\"n\":" + n + "}", text(g -> {
                g.writeStartObject();
                g.writeNumberField("n", n);
                g.writeEndObject();
            }));
        }
    }

    @Test
    void aMessageLargerThanTheBufferComesWholeAndTheNextIsSmallAgain() {
        String big = "x".repeat(300_000);
        assertEquals("\"" + big + "\"", text(g -> g.writeString(big)));
        assertEquals("1", text(g -> g.writeNumber(1)));
    }

    @Test
    void aWritingThatFailsMidValueLeavesNothingForTheNextMessage() {
        assertThrows(IllegalStateException.class, () -> MessageBytes.of(g -> {
            g.writeStartObject();
            g.writeStringField("half", "written");
            throw new IllegalStateException("a value the format cannot write");
        }));
        assertThrows(java.io.UncheckedIOException.class, () -> MessageBytes.of(g -> {
            g.writeStartArray();
            throw new IOException("torn");
        }));
        assertEquals("[true]", text(g -> {
            g.writeStartArray();
            g.writeBoolean(true);
            g.writeEndArray();
        }));
    }

    @Test
    void aMessageEncodedInsideAnotherGetsItsOwnGenerator() {
        assertEquals("{\"inner\":\"{\\\"a\\\":1}\"}", text(g -> {
            g.writeStartObject();
            String inner = text(h -> {
                h.writeStartObject();
                h.writeNumberField("a", 1);
                h.writeEndObject();
            });
            g.writeStringField("inner", inner);
            g.writeEndObject();
        }));
        assertEquals("2", text(g -> g.writeNumber(2)));
    }
}
