package formats;

import model.ChangeEvent;
import model.Op;
import model.SourcePosition;
import model.TableId;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class RepeatedPartTest {

    static ChangeEvent at(String position) {
        return ChangeEvent.row("p", Op.READ, new TableId("db", null, "t"), null, Map.of("id", 1), List.of("id"), Map.of(),
                new SourcePosition("mysql", position, null, 0, Instant.EPOCH, true));
    }

    @Test
    void aPartIsEncodedOncePerRunAndNeverForALoneEvent() {
        List<String> encoded = new ArrayList<>();
        RepeatedPart<String> part = new RepeatedPart<>((a, b) -> a.position().equals(b.position()), e -> {
            encoded.add(e.position().position());
            return "part of " + e.position().position();
        });
        assertNull(part.of(at("a")), "first of a run: the caller writes it");
        assertEquals("part of a", part.of(at("a")));
        assertEquals("part of a", part.of(at("a")));
        assertNull(part.of(at("b")));
        assertNull(part.of(at("c")));
        assertEquals("part of c", part.of(at("c")));
        assertEquals("part of c", part.of(at("c")));
        assertEquals(List.of("a", "c"), encoded, "encoded once per run of two or more");
        ChangeEvent streamed = ChangeEvent.row("p", Op.CREATE, new TableId("db", null, "t"), null, Map.of("id", 1), List.of("id"), Map.of(),
                new SourcePosition("mysql", "c", null, 0, Instant.EPOCH, false));
        assertNull(part.of(streamed), "a streamed change has a position of its own: never looked up");
        assertNull(part.of(streamed));
        assertEquals(List.of("a", "c"), encoded);
    }
}
