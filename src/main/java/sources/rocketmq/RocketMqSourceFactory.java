package sources.rocketmq;

import config.PipelineSpec;
import config.Prechecks;
import config.Section;
import config.SourceConfig;
import formats.Formats;
import org.apache.rocketmq.acl.common.AclClientRPCHook;
import org.apache.rocketmq.acl.common.SessionCredentials;
import org.apache.rocketmq.client.consumer.DefaultLitePullConsumer;
import sources.SourceContext;
import sources.SourceExport;
import sources.SourceFactory;
import sources.SourceRoute;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code rocketmq} source plug-in: change messages in RocketMQ topics (written by Tributary, Canal, OMS, ...) read
 * back into changes and through the same route into any sink — the RocketMQ JDBC sink connector's half. Its endpoint
 * emits canonical batches itself.
 */
public final class RocketMqSourceFactory implements SourceFactory {

    @Override
    public String type() {
        return "rocketmq";
    }

    @Override
    public SourceConfig read(Section source) {
        source.onlyKeys("type", "namesrv", "topics", "tags", "consumerGroup", "format", "accessKey", "secretKey");
        String namesrv = source.string("namesrv", true, null);
        List<String> topics = source.strings("topics", true);
        String group = source.string("consumerGroup", false, source.pipeline() == null ? null : "tributary_" + source.pipeline().replace('-', '_'));
        if (group != null && !group.matches("[%|a-zA-Z0-9_-]{1,255}")) {
            source.error("consumerGroup", "'" + group + "' is not a RocketMQ group name: letters, digits, '_', '-', '%' and '|'");
        }
        String accessKey = source.string("accessKey", false, null);
        String secretKey = source.secret("secretKey", false);
        if ((accessKey == null) != (secretKey == null)) {
            source.error(accessKey == null ? "accessKey" : "secretKey", "accessKey and secretKey go together (RocketMQ ACL)");
        }
        return new RocketMqSourceConfig(namesrv, topics, source.string("tags", false, "*"), group,
                source.oneOf("format", true, null, Formats.names()), accessKey, secretKey);
    }

    @Override
    public String refusesMode(PipelineSpec.Mode mode) {
        return sources.QueueSources.refusesMode(mode, "queue");
    }

    @Override
    public SourceRoute route(SourceContext c) {
        return sources.QueueSources.route(c, letters -> new RocketMqSourceEndpoint(c.camel(), c.spec(), letters));
    }

    @Override
    public void export(SourceExport x) {
        RocketMqSourceConfig r = x.spec().source().config(RocketMqSourceConfig.class);
        Map<String, Object> p = x.parameters();
        p.put("namesrv", r.namesrv());
        p.put("topics", String.join(",", r.topics()));
        p.put("tags", r.tags());
        p.put("consumerGroup", r.consumerGroup());
        p.put("format", r.format());
        if (r.accessKey() != null) {
            p.put("accessKey", r.accessKey());
            p.put("secretKey", x.secret("source.secretKey"));
        }
        p.put("mode", x.spec().mode().key);
        p.put("maxEvents", x.spec().batch().maxEvents());
        p.put("stateDir", x.stateDir().getParent().toString());
        x.from("tributary-rocketmq-source:" + x.spec().name());
    }

    @Override
    public void precheck(PipelineSpec spec, Prechecks checks) {
        RocketMqSourceConfig r = spec.source().config(RocketMqSourceConfig.class);
        checks.check("source.topics", () -> {
            // a consumer of a group of its own only asks the NameServer for routes: nothing is read or committed
            DefaultLitePullConsumer probe = r.accessKey() == null ? new DefaultLitePullConsumer("tributary_precheck")
                    : new DefaultLitePullConsumer("tributary_precheck", new AclClientRPCHook(new SessionCredentials(r.accessKey(), r.secretKey())));
            probe.setNamesrvAddr(r.namesrv());
            probe.setInstanceName("tributary-precheck-" + System.nanoTime());
            probe.start();
            try {
                List<String> lines = new ArrayList<>();
                for (String topic : r.topics()) {
                    try {
                        int queues = probe.fetchMessageQueues(topic).size();
                        lines.add(topic + ": " + queues + " queue" + (queues == 1 ? "" : "s"));
                    } catch (Exception e) {
                        throw new IllegalStateException("topic " + topic + " is not known to the NameServer " + r.namesrv() + " (" + e.getMessage() + ")");
                    }
                }
                return String.join(", ", lines);
            } finally {
                probe.shutdown();
            }
        });
    }
}
