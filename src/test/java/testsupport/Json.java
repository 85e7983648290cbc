package testsupport;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.net.http.HttpResponse;

/** JSON as the tests read it: numbers exact (decimals as BigDecimal, never rounded through double). */
public final class Json {

    public static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

    private Json() {
    }

    public static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    /** A Kafka record's value. */
    public static JsonNode json(ConsumerRecord<String, String> record) {
        return json(record.value());
    }

    /** A REST answer's body. */
    public static JsonNode json(HttpResponse<String> response) {
        return json(response.body());
    }
}
