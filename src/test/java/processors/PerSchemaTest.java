package processors;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class PerSchemaTest {

    @Test
    void eachSchemaIsWorkedOutOnceAndKeepsItsOwnAnswerWhenSchemasAlternate() {
        List<String> workedOut = new ArrayList<>();
        PerSchema<String> names = new PerSchema<>(s -> {
            workedOut.add(s.name());
            return s.name() + "!";
        });
        Schema a = SchemaBuilder.struct().name("a").build();
        Schema b = SchemaBuilder.struct().name("b").build();
        Schema equalToA = SchemaBuilder.struct().name("a").build(); // equal, not the same instance: its own entry

        assertEquals("a!", names.get(a));
        assertEquals("a!", names.get(a));
        assertEquals("b!", names.get(b));
        assertEquals("a!", names.get(a));
        String first = names.get(b);
        assertSame(first, names.get(b));
        assertEquals("a!", names.get(equalToA));
        assertEquals(List.of("a", "b", "a"), workedOut);
    }

    @Test
    void aLongRunOfNewSchemaInstancesKeepsAtMostTheLimit() throws Exception {
        List<String> workedOut = new ArrayList<>();
        PerSchema<String> names = new PerSchema<>(s -> {
            workedOut.add(s.name());
            return s.name();
        });
        for (int i = 0; i < 10 * PerSchema.LIMIT; i++) { // the same table's schema, a new instance each time
            assertEquals("t", names.get(SchemaBuilder.struct().name("t").build()));
        }
        java.lang.reflect.Field known = PerSchema.class.getDeclaredField("known");
        known.setAccessible(true);
        assertEquals(true, ((java.util.Map<?, ?>) known.get(names)).size() <= PerSchema.LIMIT);
        assertEquals(10 * PerSchema.LIMIT, workedOut.size());
    }
}
