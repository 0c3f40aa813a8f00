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
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
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
 *
 * <p>{@link #builder()} can add a {@code SASL_SSL} listener (TLS with SCRAM-SHA-512 users) and the
 * {@code StandardAuthorizer}, as a secured production cluster has them. The {@code PLAINTEXT} listener
 * ({@link #bootstrapServers()}, bound to localhost) stays: the broker talks to itself over it, and its anonymous
 * principal is a super user, so tests can set up topics, ACLs and data over it as an operator would.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final String PORTS_FILE = "embedded-kafka-ports.properties";

    /** The super user of the embedded broker: whoever connects to the PLAINTEXT or controller listener. */
    public static final String BROKER_PRINCIPAL = "User:ANONYMOUS";
    /** The SCRAM mechanism of the {@code SASL_SSL} listener. */
    public static final String SCRAM_MECHANISM = "SCRAM-SHA-512";

    private static final String SASL_SSL_PORT = "sasl_ssl";

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final String secureBootstrapServers;
    private final Path dataDir;
    private final boolean deleteOnClose;

    private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers, String secureBootstrapServers,
                          Path dataDir, boolean deleteOnClose) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.secureBootstrapServers = secureBootstrapServers;
        this.dataDir = dataDir;
        this.deleteOnClose = deleteOnClose;
    }

    /**
     * Formats (first time only) and starts a broker with a PLAINTEXT listener only.
     *
     * @param dataDir where the broker keeps its logs, kept after close; {@code null} for a temporary
     *                directory deleted on close
     */
    public static EmbeddedKafka start(Path dataDir) {
        return builder().dataDir(dataDir).start();
    }

    /** A broker to configure: data directory, an optional SASL_SSL listener, an optional authorizer. */
    public static Builder builder() {
        return new Builder();
    }

    private static EmbeddedKafka start(Builder builder) {
        try {
            boolean temporary = builder.dataDir == null;
            Path dir = temporary ? Files.createTempDirectory("embedded-kafka-") : builder.dataDir;
            Files.createDirectories(dir);
            Properties ports = loadOrPickPorts(dir, builder.saslSsl != null);
            Properties config = brokerConfig(dir, ports);
            config.putAll(builder.settings);
            if (builder.saslSsl != null) {
                addSaslSslListener(config, ports, builder.saslSsl);
            }
            if (builder.authorizer) {
                config.setProperty("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
                config.setProperty("super.users", BROKER_PRINCIPAL);
            }
            Path logDir = dir.resolve("logs");
            if (!Files.exists(logDir.resolve("meta.properties"))) {
                format(dir, config, builder.saslSsl == null ? List.of() : builder.saslSsl.users());
            }
            KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(config), Time.SYSTEM);
            server.startup();
            String bootstrap = "localhost:" + ports.getProperty("broker");
            String secureBootstrap = builder.saslSsl == null ? null : "localhost:" + ports.getProperty(SASL_SSL_PORT);
            EmbeddedKafka kafka = new EmbeddedKafka(server, bootstrap, secureBootstrap, dir, temporary);
            kafka.awaitReady();
            log.info("embedded Kafka ready bootstrap.servers='{}' saslSsl='{}' authorizer={} dataDir='{}'",
                    bootstrap, secureBootstrap, builder.authorizer, dir);
            return kafka;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the embedded Kafka data directory", e);
        }
    }

    /** The PLAINTEXT listener: no authentication, a super user when the authorizer is on. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The SASL_SSL listener (TLS, SCRAM-SHA-512 users). */
    public String secureBootstrapServers() {
        if (secureBootstrapServers == null) {
            throw new IllegalStateException("this embedded Kafka has no SASL_SSL listener: start it with "
                    + "EmbeddedKafka.builder().saslSsl(...)");
        }
        return secureBootstrapServers;
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

    /**
     * The SASL_SSL listener next to the PLAINTEXT one: TLS with the given key store, SCRAM-SHA-512 only. The
     * broker keeps talking to itself over PLAINTEXT, so it needs no SCRAM credentials of its own.
     */
    private static void addSaslSslListener(Properties config, Properties ports, SaslSsl saslSsl) {
        String listener = "SASL_SSL://localhost:" + ports.getProperty(SASL_SSL_PORT);
        config.setProperty("listeners", config.getProperty("listeners") + "," + listener);
        config.setProperty("advertised.listeners", config.getProperty("advertised.listeners") + "," + listener);
        config.setProperty("listener.security.protocol.map",
                config.getProperty("listener.security.protocol.map") + ",SASL_SSL:SASL_SSL");
        config.setProperty("inter.broker.listener.name", "PLAINTEXT");
        String prefix = "listener.name.sasl_ssl.";
        config.setProperty(prefix + "sasl.enabled.mechanisms", SCRAM_MECHANISM);
        config.setProperty(prefix + SCRAM_MECHANISM.toLowerCase(Locale.ROOT) + ".sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        config.setProperty(prefix + "ssl.keystore.type", "PKCS12");
        config.setProperty(prefix + "ssl.keystore.location", saslSsl.keyStore().toAbsolutePath().toString());
        config.setProperty(prefix + "ssl.keystore.password", saslSsl.keyStorePassword());
        config.setProperty(prefix + "ssl.key.password", saslSsl.keyStorePassword());
    }

    private static void format(Path dir, Properties config, List<ScramUser> users) throws IOException {
        Path configFile = dir.resolve("server.properties");
        try (Writer writer = Files.newBufferedWriter(configFile)) {
            config.store(writer, "embedded Kafka broker");
        }
        List<String> args = new ArrayList<>(List.of("format", "--cluster-id", Uuid.randomUuid().toString(),
                "--config", configFile.toString(), "--standalone"));
        // KIP-900: SCRAM credentials written into the bootstrap metadata, there before the broker starts
        for (ScramUser user : users) {
            args.add("--add-scram");
            args.add(SCRAM_MECHANISM + "=[name=\"" + user.name() + "\",password=\"" + user.password() + "\"]");
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int exit;
        try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            exit = StorageTool.execute(args.toArray(String[]::new), print);
        }
        if (exit != 0) {
            throw new IllegalStateException("formatting the embedded Kafka log directory failed: "
                    + output.toString(StandardCharsets.UTF_8));
        }
    }

    private static Properties loadOrPickPorts(Path dir, boolean saslSsl) throws IOException {
        Path file = dir.resolve(PORTS_FILE);
        Properties ports = new Properties();
        if (Files.exists(file)) {
            try (Reader reader = Files.newBufferedReader(file)) {
                ports.load(reader);
            }
            if (!saslSsl || ports.containsKey(SASL_SSL_PORT)) {
                return ports;
            }
        } else {
            int[] picked = freePorts(2);
            ports.setProperty("broker", Integer.toString(picked[0]));
            ports.setProperty("controller", Integer.toString(picked[1]));
        }
        if (saslSsl) {
            ports.setProperty(SASL_SSL_PORT, Integer.toString(freePorts(1, ports)[0]));
        }
        try (Writer writer = Files.newBufferedWriter(file)) {
            ports.store(writer, "ports of the embedded Kafka broker formatted in this directory");
        }
        return ports;
    }

    /**
     * Ports the kernel hands out while all of them are held open at once, so they differ from each other and from
     * those already taken. One socket at a time (open, read the port, close) could be given the same port twice on
     * a busy machine, and the broker then refuses two listeners on one port.
     */
    private static int[] freePorts(int count, Properties taken) throws IOException {
        List<ServerSocket> held = new ArrayList<>();
        List<Integer> picked = new ArrayList<>();
        try {
            while (picked.size() < count) {
                ServerSocket socket = new ServerSocket(0);
                held.add(socket);
                int port = socket.getLocalPort();
                if (!taken.containsValue(Integer.toString(port)) && !picked.contains(port)) {
                    picked.add(port);
                }
            }
        } finally {
            for (ServerSocket socket : held) {
                socket.close();
            }
        }
        return picked.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int[] freePorts(int count) throws IOException {
        return freePorts(count, new Properties());
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

    /**
     * A SCRAM-SHA-512 user of the SASL_SSL listener. Its password is never printed.
     *
     * @param name     the principal is {@code User:<name>}
     * @param password without double quotes (StorageTool's {@code --add-scram} syntax quotes it)
     */
    public record ScramUser(String name, String password) {
        public ScramUser {
            if (name == null || name.isBlank() || password == null || password.isEmpty()) {
                throw new IllegalArgumentException("a SCRAM user needs a name and a password");
            }
            if (name.contains("\"") || password.contains("\"")) {
                throw new IllegalArgumentException("SCRAM user '" + name.replace("\"", "") + "': no double quotes "
                        + "in its name or password");
            }
        }

        /** The JAAS line a client of this user sets as {@code sasl.jaas.config}. */
        public String jaasConfig() {
            return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + name
                    + "\" password=\"" + password + "\";";
        }

        @Override
        public String toString() {
            return "ScramUser[name=" + name + ", password=(hidden)]";
        }
    }

    /**
     * The SASL_SSL listener: the broker's PKCS12 key store (its certificate must name {@code localhost}), the
     * password of the store and of its key, and the SCRAM users, created when the data directory is formatted.
     */
    public record SaslSsl(Path keyStore, String keyStorePassword, List<ScramUser> users) {
        public SaslSsl {
            users = List.copyOf(users);
        }

        @Override
        public String toString() {
            return "SaslSsl[keyStore=" + keyStore + ", users=" + users + "]";
        }
    }

    /** How to start an embedded broker; {@link #start()} formats (first time only) and starts it. */
    public static final class Builder {
        private Path dataDir;
        private SaslSsl saslSsl;
        private boolean authorizer;
        private final Properties settings = new Properties();

        private Builder() {
        }

        /**
         * A broker setting over the defaults, for a test that needs the broker to act sooner than in production
         * ({@code log.retention.check.interval.ms}, say).
         */
        public Builder setting(String key, String value) {
            settings.setProperty(key, value);
            return this;
        }

        /** Where the broker keeps its logs, kept after close; {@code null} (default) for a temporary directory. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /**
         * Adds a SASL_SSL listener ({@link #secureBootstrapServers()}) with SCRAM-SHA-512. The users are created
         * when the data directory is formatted, so they must be given on the first start of a kept directory.
         */
        public Builder saslSsl(Path keyStore, String keyStorePassword, List<ScramUser> users) {
            this.saslSsl = new SaslSsl(keyStore, keyStorePassword, users);
            return this;
        }

        /**
         * Turns on KRaft's {@code StandardAuthorizer}: nothing is allowed without an ACL, except to the broker's
         * own principal ({@link #BROKER_PRINCIPAL}, the PLAINTEXT and controller listeners), a super user.
         */
        public Builder authorizer(boolean authorizer) {
            this.authorizer = authorizer;
            return this;
        }

        public EmbeddedKafka start() {
            return EmbeddedKafka.start(this);
        }
    }
}
