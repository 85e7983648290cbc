package sources.postgres;

import sources.StartCheck;

import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * {@code publicationScope: schemas}: before the engine starts, the endpoint's publication is created
 * {@code FOR TABLES IN SCHEMA} the given schemas unless it exists, so that a table created later (a drop and re-create
 * included) is published from its creation; the endpoint then runs with {@code publicationAutocreateMode=disabled}.
 * The connection and the publication's name come from the engine's properties; in a route: a bean with the property
 * {@code schemas} (comma-separated) given as {@code startCheck=#bean:NAME}.
 */
public class SchemaPublication implements StartCheck {

    private List<String> schemas = List.of();

    public String getSchemas() {
        return String.join(",", schemas);
    }

    public void setSchemas(String schemas) {
        this.schemas = Arrays.stream(schemas.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** As {@link #setSchemas(String)}. */
    public SchemaPublication schemas(List<String> schemas) {
        this.schemas = List.copyOf(schemas);
        return this;
    }

    @Override
    public void check(Properties engine) throws Exception {
        if (schemas.isEmpty()) {
            throw new IllegalArgumentException("SchemaPublication.schemas: missing (the schemas to publish, comma-separated)");
        }
        new PostgresTables(engine.getProperty("database.hostname"), Integer.parseInt(engine.getProperty("database.port", "5432")),
                engine.getProperty("database.dbname"), engine.getProperty("database.user"), engine.getProperty("database.password"))
                .ensureSchemaPublication(engine.getProperty("publication.name", "dbz_publication"), schemas);
    }
}
