package runtime;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.spi.ReloadStrategy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Supplier;

/**
 * Start, stop, suspend and resume of any route over REST. A pipeline's route keeps its pipeline's semantics (stop is
 * graceful: the batch in flight completes and its offsets are committed; suspend is the pipeline's pause); a
 * hand-written route goes through Camel's route controller (a graceful stop as well). Tributary's own routes (the API
 * and the console) are not for sale: stopping them would cut the operator off.
 */
public final class RouteControl {

    public enum Action { START, STOP, SUSPEND, RESUME }

    private final PipelineRegistry registry;
    private final PipelineManager manager;
    private final Supplier<CamelContext> context;

    public RouteControl(PipelineRegistry registry, PipelineManager manager, Supplier<CamelContext> context) {
        this.registry = registry;
        this.manager = manager;
        this.context = context;
    }

    /** Tributary's own routes: the REST API (and the OpenAPI document Camel serves) and the console. */
    public static boolean isSystemRoute(Route route) {
        String id = route.getRouteId();
        return id.startsWith("api-") || id.startsWith("console-") || route.getEndpoint().getEndpointUri().startsWith("rest-api:");
    }

    /** Applies {@code action} to route {@code id}; returns its state afterwards. */
    public Map<String, Object> apply(String id, Action action) throws Exception {
        CamelContext camel = context.get();
        Route route = camel.getRoute(id);
        if (route == null) {
            throw new NoSuchElementException("no route with id '" + id + "'");
        }
        if (isSystemRoute(route)) {
            throw new PipelineManager.Conflict("route '" + id + "' is part of Tributary's API or console and cannot be controlled");
        }
        if (registry.get(id).isPresent()) {
            switch (action) {
                case START -> manager.start(id);
                case STOP -> manager.stop(id);
                case SUSPEND -> manager.pause(id);
                case RESUME -> manager.resume(id);
            }
        } else {
            switch (action) {
                case START -> camel.getRouteController().startRoute(id);
                case STOP -> camel.getRouteController().stopRoute(id);
                case SUSPEND -> camel.getRouteController().suspendRoute(id);
                case RESUME -> camel.getRouteController().resumeRoute(id);
            }
        }
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("id", id);
        state.put("pipeline", registry.get(id).isPresent());
        var status = camel.getRouteController().getRouteStatus(id);
        state.put("state", status == null ? null : status.name());
        return state;
    }

    /** Whether routes are reloaded from the routes folder, how often it happened, and the last error. */
    public static Map<String, Object> reloads(CamelContext camel) {
        Map<String, Object> m = new LinkedHashMap<>();
        ReloadStrategy reload = camel.hasService(ReloadStrategy.class);
        m.put("enabled", reload != null);
        if (reload != null) {
            m.put("reloaded", reload.getReloadCounter());
            m.put("failed", reload.getFailedCounter());
            Exception last = reload.getLastError();
            m.put("lastError", last == null ? null : RouteStats.mask(rootMessage(last)));
        }
        return m;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        StringBuilder out = new StringBuilder(String.valueOf(e.getMessage()));
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
            if (t.getMessage() != null && !out.toString().contains(t.getMessage())) {
                out.append(": ").append(t.getMessage());
            }
        }
        return out.toString();
    }
}
