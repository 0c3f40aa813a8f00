package dev.meterflow.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one node) running in this JVM: the
 * production broker code, with transactions, so exactly-once behaves as it does on a cluster. The log
 * directory is formatted with Kafka's own {@code StorageTool format --standalone} on first start; a data
 * directory that was formatted before is started again with the same ports, so its data survives restarts.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final String PORTS_FILE = "embedded-kafka-ports.properties";

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final Path dataDir;
    private final boolean deleteOnClose;

    private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers, Path dataDir, boolean deleteOnClose) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.dataDir = dataDir;
        this.deleteOnClose = deleteOnClose;
    }

    /**
     * Formats (first time only) and starts a broker.
     *
     * @param dataDir where the broker keeps its logs, kept after close; {@code null} for a temporary
     *                directory deleted on close
     */
    public static EmbeddedKafka start(Path dataDir) {
        try {
            boolean temporary = dataDir == null;
            Path dir = temporary ? Files.createTempDirectory("embedded-kafka-") : dataDir;
            Files.createDirectories(dir);
            Properties ports = loadOrPickPorts(dir);
            Properties config = brokerConfig(dir, ports);
            Path logDir = dir.resolve("logs");
            if (!Files.exists(logDir.resolve("meta.properties"))) {
                format(dir, config);
            }
            KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(config), Time.SYSTEM);
            server.startup();
            String bootstrap = "localhost:" + ports.getProperty("broker");
            EmbeddedKafka kafka = new EmbeddedKafka(server, bootstrap, dir, temporary);
            kafka.awaitReady();
            log.info("embedded Kafka ready bootstrap.servers='{}' dataDir='{}'", bootstrap, dir);
            return kafka;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the embedded Kafka data directory", e);
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Creates topics that do not exist yet; existing ones are left as they are. */
    public void createTopics(Collection<TopicSpec> topics) {
        try (Admin admin = admin()) {
            for (TopicSpec topic : topics) {
                NewTopic newTopic = new NewTopic(topic.name(), topic.partitions(), (short) 1)
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, topic.compacted()
                                ? TopicConfig.CLEANUP_POLICY_COMPACT : TopicConfig.CLEANUP_POLICY_DELETE));
                try {
                    admin.createTopics(List.of(newTopic)).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + topic.name() + ": "
                                + e.getCause().getMessage(), e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }

    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        if (deleteOnClose) {
            deleteRecursively(dataDir);
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + 60_000_000_000L;
        try (Admin admin = admin()) {
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get().isEmpty()) {
                        return;
                    }
                } catch (ExecutionException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("embedded Kafka did not become ready within 60 s", e);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the embedded Kafka broker", e);
        }
    }

    private static Properties brokerConfig(Path dir, Properties ports) {
        String broker = "localhost:" + ports.getProperty("broker");
        String controller = "localhost:" + ports.getProperty("controller");
        Properties config = new Properties();
        config.setProperty("process.roles", "broker,controller");
        config.setProperty("node.id", "1");
        config.setProperty("listeners", "PLAINTEXT://" + broker + ",CONTROLLER://" + controller);
        config.setProperty("advertised.listeners", "PLAINTEXT://" + broker);
        config.setProperty("controller.listener.names", "CONTROLLER");
        config.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        config.setProperty("controller.quorum.bootstrap.servers", controller);
        config.setProperty("log.dirs", dir.resolve("logs").toString());
        config.setProperty("num.partitions", "1");
        config.setProperty("offsets.topic.replication.factor", "1");
        config.setProperty("offsets.topic.num.partitions", "4");
        config.setProperty("transaction.state.log.replication.factor", "1");
        config.setProperty("transaction.state.log.min.isr", "1");
        config.setProperty("transaction.state.log.num.partitions", "4");
        config.setProperty("group.initial.rebalance.delay.ms", "0");
        config.setProperty("auto.create.topics.enable", "false");
        config.setProperty("log.flush.interval.messages", String.valueOf(Long.MAX_VALUE));
        return config;
    }

    private static void format(Path dir, Properties config) throws IOException {
        Path configFile = dir.resolve("server.properties");
        try (Writer writer = Files.newBufferedWriter(configFile)) {
            config.store(writer, "embedded Kafka broker");
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int exit;
        try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            exit = StorageTool.execute(new String[] {"format", "--cluster-id", Uuid.randomUuid().toString(),
                    "--config", configFile.toString(), "--standalone"}, print);
        }
        if (exit != 0) {
            throw new IllegalStateException("formatting the embedded Kafka log directory failed: "
                    + output.toString(StandardCharsets.UTF_8));
        }
    }

    private static Properties loadOrPickPorts(Path dir) throws IOException {
        Path file = dir.resolve(PORTS_FILE);
        Properties ports = new Properties();
        if (Files.exists(file)) {
            try (Reader reader = Files.newBufferedReader(file)) {
                ports.load(reader);
            }
            return ports;
        }
        ports.setProperty("broker", Integer.toString(freePort()));
        ports.setProperty("controller", Integer.toString(freePort()));
        try (Writer writer = Files.newBufferedWriter(file)) {
            ports.store(writer, "ports of the embedded Kafka broker formatted in this directory");
        }
        return ports;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            log.warn("cannot delete {}", dir, e);
        }
    }

    /** A topic to create: name, partition count and whether it is compacted. */
    public record TopicSpec(String name, int partitions, boolean compacted) {
    }
}
