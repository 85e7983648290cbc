package architecture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.PropertyConfigurer;
import org.apache.camel.support.PluginHelper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each of Tributary's endpoints is in Camel's catalog as the build wrote it from the annotations (its JSON schema, a
 * property configurer), and docs/endpoints.md documents every option the catalog lists, with the same description.
 */
class EndpointCatalogTest {

    @ParameterizedTest
    @ValueSource(strings = {"cdc", "tributary-jdbc-poll", "tributary-kafka-source", "tributary-rocketmq-source", "tributary-kafka", "tributary-rocketmq", "tributary-jdbc", "tributary-hdfs"})
    void theCatalogKnowsTheEndpointAndTheDocsListEveryOption(String scheme) throws Exception {
        try (CamelContext camel = new DefaultCamelContext()) {
            String json = ((org.apache.camel.CatalogCamelContext) camel).getComponentParameterJsonSchema(scheme);
            assertNotNull(json, scheme + ": no catalog entry in the JAR (camel-component-maven-plugin)");
            PropertyConfigurer configurer = PluginHelper.getConfigurerResolver(camel).resolvePropertyConfigurer(scheme + "-endpoint", camel);
            assertNotNull(configurer, scheme + ": no generated endpoint configurer");

            JsonNode schema = new ObjectMapper().readTree(json);
            String docs = Files.readString(Path.of("docs/endpoints.md"));
            int start = docs.indexOf("## `" + scheme + ":`");
            assertTrue(start >= 0, "docs/endpoints.md has no section for " + scheme + ":");
            int end = docs.indexOf("\n## ", start + 1);
            String section = docs.substring(start, end < 0 ? docs.length() : end);
            Iterator<Map.Entry<String, JsonNode>> options = schema.path("properties").fields();
            assertTrue(options.hasNext(), scheme + ": the catalog lists no option");
            while (options.hasNext()) {
                Map.Entry<String, JsonNode> option = options.next();
                String row = section.lines().filter(l -> l.startsWith("| `" + option.getKey() + "` |")).findFirst().orElse(null);
                assertNotNull(row, "docs/endpoints.md, " + scheme + ": option " + option.getKey() + " is not documented");
                String description = option.getValue().path("description").asText();
                String firstSentence = description.split("\\. ")[0].replaceAll("\\.$", "");
                assertTrue(row.contains(firstSentence.replace("|", "\\|")), "docs/endpoints.md, " + scheme + ": option "
                        + option.getKey() + " is described differently from its @UriParam: " + description);
            }
        }
    }
}
