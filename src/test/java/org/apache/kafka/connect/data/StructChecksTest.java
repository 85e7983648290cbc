package org.apache.kafka.connect.data;

import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Tributary's copies of Struct and ConnectSchema check each value once, and still refuse everything Kafka's refuse. */
class StructChecksTest {

    private static final Schema ROW = SchemaBuilder.struct().name("row")
            .field("id", Schema.INT64_SCHEMA)
            .field("name", Schema.OPTIONAL_STRING_SCHEMA)
            .field("price", Decimal.schema(2))
            .field("tags", SchemaBuilder.array(Schema.STRING_SCHEMA).optional().build())
            .build();
    private static final Schema ENVELOPE = SchemaBuilder.struct().name("envelope").field("after", ROW).build();

    @Test
    void aCompleteRowPassesItsOwnCheckAndTheEnvelopes() {
        Struct row = new Struct(ROW).put("id", 1L).put("name", "a").put("price", new BigDecimal("1.50"));
        assertDoesNotThrow(row::validate);
        assertDoesNotThrow(() -> new Struct(ENVELOPE).put("after", row).validate());
    }

    @Test
    void aWrongValueIsRefusedWhenPutWithTheFieldsNameInTheMessage() {
        DataException e = assertThrows(DataException.class, () -> new Struct(ROW).put("id", "one"));
        assertEquals("Invalid Java object for schema with type INT64: class java.lang.String for field: \"id\"", e.getMessage());
        DataException nul = assertThrows(DataException.class, () -> new Struct(ROW).put("id", null));
        assertEquals("Invalid value: null used for required field: \"id\", schema type: INT64", nul.getMessage());
    }

    @Test
    void aMissingRequiredValueIsStillFoundByValidateAndByTheEnvelope() {
        Struct row = new Struct(ROW).put("id", 1L);
        assertThrows(DataException.class, row::validate);
        assertThrows(DataException.class, () -> new Struct(ENVELOPE).put("after", row));
    }

    @Test
    void anArrayChangedAfterItWasPutIsCheckedAgain() {
        List<Object> tags = new ArrayList<>(List.of("x"));
        Struct row = new Struct(ROW).put("id", 1L).put("price", BigDecimal.ONE.setScale(2)).put("tags", tags);
        tags.add(42);
        DataException e = assertThrows(DataException.class, row::validate);
        assertEquals("Invalid Java object for schema with type STRING: class java.lang.Integer for element of array field: \"tags\"", e.getMessage());
    }

    @Test
    void aValuePutThroughAnotherSchemasFieldIsCheckedAgainstThisOne() {
        Schema other = SchemaBuilder.struct().field("id", Schema.STRING_SCHEMA).build();
        Struct row = new Struct(ROW).put(other.field("id"), "not a long").put("price", BigDecimal.ONE.setScale(2));
        assertThrows(DataException.class, row::validate);
    }

    @Test
    void aStructOfAnEqualSchemaIsAcceptedAndOneOfAnotherSchemaRefusedAfterIt() {
        Schema sameAgain = SchemaBuilder.struct().name("row")
                .field("id", Schema.INT64_SCHEMA)
                .field("name", Schema.OPTIONAL_STRING_SCHEMA)
                .field("price", Decimal.schema(2))
                .field("tags", SchemaBuilder.array(Schema.STRING_SCHEMA).optional().build())
                .build();
        Schema another = SchemaBuilder.struct().name("row").field("id", Schema.INT64_SCHEMA).build();
        for (int i = 0; i < 3; i++) { // the first equal schema is compared, the next ones are known
            Struct equalRow = new Struct(sameAgain).put("id", 1L).put("price", BigDecimal.ONE.setScale(2));
            assertDoesNotThrow(() -> new Struct(ENVELOPE).put("after", equalRow));
            Struct otherRow = new Struct(another).put("id", 1L);
            DataException e = assertThrows(DataException.class, () -> new Struct(ENVELOPE).put("after", otherRow));
            assertEquals("Struct schemas do not match.", e.getMessage());
        }
    }

    @Test
    void aValueOfASubclassOrOfTheSecondClassAllowedPassesAndAnyOtherClassIsRefused() {
        Schema timestamp = Timestamp.SCHEMA; // java.util.Date: a java.sql.Timestamp is one, though not of that class
        assertDoesNotThrow(() -> ConnectSchema.validateValue(timestamp, new java.sql.Timestamp(0)));
        assertDoesNotThrow(() -> ConnectSchema.validateValue(Schema.BYTES_SCHEMA, java.nio.ByteBuffer.allocate(1))); // the second of byte[], ByteBuffer
        assertThrows(DataException.class, () -> ConnectSchema.validateValue(timestamp, 0L));
        assertThrows(DataException.class, () -> ConnectSchema.validateValue(Schema.INT32_SCHEMA, 1L));
        assertThrows(DataException.class, () -> ConnectSchema.validateValue(Schema.STRING_SCHEMA, new StringBuilder("x")));
    }
}
