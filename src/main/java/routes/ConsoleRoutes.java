package routes;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The web console: three static files from the classpath ({@code console/}) at {@code /} and {@code /console/*}.
 * They hold no data — the page reads the REST API, with the token when one is set — so they are served to anyone.
 */
public class ConsoleRoutes extends RouteBuilder {

    /** The files served, by name: nothing else under console/ can be asked for. */
    private static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "console.js", "text/javascript; charset=utf-8",
            "console.css", "text/css; charset=utf-8");

    @Override
    public void configure() {
        from("platform-http:/?httpMethodRestrict=GET").routeId("console-index")
                .process(e -> serve(e, "index.html"));
        from("platform-http:/console/{file}?httpMethodRestrict=GET").routeId("console-files")
                .process(e -> serve(e, e.getMessage().getHeader("file", String.class)));
    }

    private static void serve(Exchange e, String file) {
        org.apache.camel.Message m = e.getMessage();
        String type = file == null ? null : FILES.get(file);
        m.removeHeaders("*"); // the request's headers are not the answer's
        if (type == null) {
            m.setHeader(Exchange.HTTP_RESPONSE_CODE, 404);
            m.setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=utf-8");
            m.setBody("not found");
            return;
        }
        m.setHeader(Exchange.CONTENT_TYPE, type);
        m.setHeader("Cache-Control", "no-cache"); // a new JAR's console is picked up at the next load
        m.setBody(read("console/" + file));
    }

    private static byte[] read(String resource) {
        try (InputStream in = ConsoleRoutes.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the console file " + resource + " is missing from the JAR");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
