package runtime;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Camel routes behind the pipelines, for people who edit routes directly (GET /api/routes): id, state, the
 * endpoint it consumes (secrets masked), exchanges completed and failed — counted by an event notifier, one event per
 * exchange (a pipeline's exchange is a whole batch), no JMX needed.
 */
public final class RouteStats extends EventNotifierSupport {

    private static final Pattern SECRET_OPTION = Pattern.compile("(?i)([?&][^=&]*(password|secret|jaas|token|credential)[^=&]*=)[^&]*");

    private final Map<String, AtomicLong> completed = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> failed = new ConcurrentHashMap<>();

    public RouteStats() {
        setIgnoreCamelContextEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeSendingEvents(true);
        setIgnoreExchangeSentEvents(true);
        setIgnoreExchangeRedeliveryEvents(true);
        setIgnoreStepEvents(true);
    }

    @Override
    public void notify(CamelEvent event) {
        if (event instanceof CamelEvent.ExchangeFailedEvent e && e.getExchange().getFromRouteId() != null) {
            failed.computeIfAbsent(e.getExchange().getFromRouteId(), k -> new AtomicLong()).incrementAndGet();
        } else if (event instanceof CamelEvent.ExchangeCompletedEvent e && e.getExchange().getFromRouteId() != null) {
            completed.computeIfAbsent(e.getExchange().getFromRouteId(), k -> new AtomicLong()).incrementAndGet();
        }
    }

    /** Every route of the context, in id order. */
    public List<Map<String, Object>> routes(CamelContext context) {
        List<Map<String, Object>> out = new ArrayList<>();
        context.getRoutes().stream().sorted(java.util.Comparator.comparing(Route::getRouteId)).forEach(r -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", r.getRouteId());
            m.put("description", r.getDescription());
            m.put("from", mask(r.getEndpoint().getEndpointUri()));
            var status = context.getRouteController().getRouteStatus(r.getRouteId());
            m.put("state", status == null ? null : status.name());
            m.put("uptimeMs", r.getUptimeMillis());
            m.put("inflight", context.getInflightRepository().size(r.getRouteId()));
            Map<String, Object> exchanges = new LinkedHashMap<>();
            exchanges.put("completed", completed.getOrDefault(r.getRouteId(), new AtomicLong()).get());
            exchanges.put("failed", failed.getOrDefault(r.getRouteId(), new AtomicLong()).get());
            m.put("exchanges", exchanges);
            out.add(m);
        });
        return out;
    }

    /** An endpoint URI with the values of password-, secret-, token- or JAAS-like options replaced. */
    public static String mask(String uri) {
        Matcher m = SECRET_OPTION.matcher(uri);
        return m.replaceAll("$1******");
    }
}
