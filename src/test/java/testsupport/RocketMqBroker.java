package testsupport;

import org.apache.rocketmq.broker.BrokerController;
import org.apache.rocketmq.common.BrokerConfig;
import org.apache.rocketmq.common.MQVersion;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.common.namesrv.NamesrvConfig;
import org.apache.rocketmq.namesrv.NamesrvController;
import org.apache.rocketmq.remoting.netty.NettyClientConfig;
import org.apache.rocketmq.remoting.netty.NettyServerConfig;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;
import org.apache.rocketmq.store.config.MessageStoreConfig;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real RocketMQ NameServer + Broker in this JVM (docs/design.md, "Servers the tests start"), on free ports, with its store
 * in a temp dir. The broker can be stopped and started again on the same store (an outage).
 */
public final class RocketMqBroker implements AutoCloseable {

    static {
        // without it the broker registers as version 0 and the NameServer drops its topics
        System.setProperty(RemotingCommand.REMOTING_VERSION_KEY, String.valueOf(MQVersion.CURRENT_VERSION));
        System.setProperty("tls.server.mode", "disabled");
    }

    private final Path dir;
    private final NamesrvController namesrv;
    private final int namesrvPort;
    private final int brokerPort;
    private BrokerController broker;

    public RocketMqBroker() throws Exception {
        dir = Files.createTempDirectory("tributary-rocketmq");
        namesrvPort = KafkaBroker.freePort();
        brokerPort = portWithRoomAround();
        NettyServerConfig ns = new NettyServerConfig();
        ns.setListenPort(namesrvPort);
        ns.setBindAddress("127.0.0.1");
        NamesrvConfig namesrvConfig = new NamesrvConfig();
        namesrvConfig.setRocketmqHome(dir.toString());
        namesrvConfig.setKvConfigPath(dir.resolve("namesrv-kv.json").toString());
        namesrvConfig.setConfigStorePath(dir.resolve("namesrv.properties").toString());
        namesrv = new NamesrvController(namesrvConfig, ns, new NettyClientConfig());
        if (!namesrv.initialize()) {
            throw new IllegalStateException("RocketMQ NameServer did not initialize");
        }
        namesrv.start();
        start();
    }

    public String namesrv() {
        return "127.0.0.1:" + namesrvPort;
    }

    public String brokerAddress() {
        return "127.0.0.1:" + brokerPort;
    }

    /** Starts the broker (again, on the same store) and waits until the NameServer knows it. */
    public synchronized void start() throws Exception {
        BrokerConfig config = new BrokerConfig();
        config.setBrokerName("broker-a");
        config.setBrokerClusterName("DefaultCluster");
        config.setBrokerId(0);
        config.setNamesrvAddr(namesrv());
        config.setBrokerIP1("127.0.0.1");
        config.setBrokerIP2("127.0.0.1");
        config.setAutoCreateTopicEnable(false);
        config.setTraceTopicEnable(true); // RMQ_SYS_TRACE_TOPIC, for producers with message trace on
        config.setEnableControllerMode(false);
        NettyServerConfig server = new NettyServerConfig();
        server.setListenPort(brokerPort);
        server.setBindAddress("127.0.0.1");
        MessageStoreConfig store = new MessageStoreConfig();
        store.setStorePathRootDir(dir.resolve("store").toString());
        store.setStorePathCommitLog(dir.resolve("store/commitlog").toString());
        store.setMappedFileSizeCommitLog(128 * 1024 * 1024);
        store.setMappedFileSizeConsumeQueue(300_000 * 20);
        store.setMaxIndexNum(100_000);
        store.setMaxHashSlotNum(10_000);
        // no delayed messages here: the timer wheel's flush thread alone took ~10% of a core all the time (JFR)
        store.setTimerWheelEnable(false);
        store.setHaListenPort(brokerPort + 1);
        broker = new BrokerController(config, server, new NettyClientConfig(), store);
        if (!broker.initialize()) {
            throw new IllegalStateException("RocketMQ broker did not initialize");
        }
        broker.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        // the broker-name topic always exists (TBW102 only with auto-created topics, which stay off here)
        while (namesrv.getRouteInfoManager().pickupTopicRouteData("broker-a") == null) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the RocketMQ broker did not register with the NameServer");
            }
            broker.registerBrokerAll(true, false, true);
            Thread.sleep(50);
        }
    }

    /** An outage: the broker goes away, its store stays. */
    public synchronized void stop() {
        broker.shutdown();
    }

    /** A topic with {@code queues} read and write queues, known to the NameServer when this returns. */
    public void createTopic(String topic, int queues) throws InterruptedException {
        createTopic(topic, queues, true);
    }

    /** @param ordered the topic's order flag ({@code mqadmin updateTopic -o}) */
    public void createTopic(String topic, int queues, boolean ordered) throws InterruptedException {
        TopicConfig topicConfig = new TopicConfig(topic, queues, queues);
        topicConfig.setOrder(ordered);
        broker.getTopicConfigManager().updateTopicConfig(topicConfig);
        broker.registerBrokerAll(true, false, true);
        // a registration can be lost (a CI run once waited here for ever): register again each second, give up after 60 s
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        for (int i = 1; namesrv.getRouteInfoManager().pickupTopicRouteData(topic) == null; i++) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("topic " + topic + " is not known to the test NameServer after 60 s of registrations");
            }
            Thread.sleep(20);
            if (i % 50 == 0) {
                broker.registerBrokerAll(true, false, true);
            }
        }
    }

    @Override
    public void close() {
        // shutdown waits seconds per internal service: do it off the test's thread (the store dir goes with the JVM)
        Thread t = new Thread(() -> {
            broker.shutdown();
            namesrv.shutdown();
            Dirs.delete(dir);
        }, "rocketmq-shutdown");
        t.setDaemon(true);
        t.start();
    }

    /** The broker binds its port, port − 2 (VIP channel) and port + 1 (HA). */
    private static int portWithRoomAround() throws IOException {
        for (int i = 0; i < 50; i++) {
            int p = KafkaBroker.freePort();
            if (p > 1100 && p < 65000 && free(p - 2) && free(p + 1)) {
                return p;
            }
        }
        throw new IOException("no free port with free neighbours");
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
