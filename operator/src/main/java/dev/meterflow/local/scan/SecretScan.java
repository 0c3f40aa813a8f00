package dev.meterflow.local.scan;

import dev.meterflow.topics.TopicReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Looks for card numbers, card fields, API keys and given secret values (see {@link SecretDetector}) in every
 * record of every topic of a cluster — keys, values and headers, Kafka Streams changelogs and dead letter
 * queues included, aborted transactions too ({@code read_uncommitted}) — and in log files. Bytes are read as
 * ISO-8859-1, so digits and field names inside Avro binary are seen as text.
 *
 * <pre>{@code
 * ScanReport report = SecretScan.scan(bootstrapServers, List.of(Path.of("logs")), List.of(apiKey));
 * report.findings().forEach(System.out::println);
 * }</pre>
 */
public final class SecretScan {

    /** The broker's own bookkeeping, not data anyone wrote: offsets and transaction states. */
    public static final Set<String> SKIPPED_TOPICS = Set.of("__consumer_offsets", "__transaction_state");

    private static final int EXCERPT_CONTEXT = 24;
    private static final Pattern JAAS_PASSWORD = Pattern.compile("password\\s*=\\s*\"([^\"]+)\"");

    private final SecretDetector detector;
    private final List<Finding> findings = new ArrayList<>();

    private SecretScan(List<String> literalSecrets) {
        this.detector = new SecretDetector(literalSecrets);
    }

    /** {@link #scan(Properties, List, List)} with only the bootstrap servers as client settings. */
    public static ScanReport scan(String bootstrapServers, List<Path> logs, List<String> literalSecrets) {
        Properties client = new Properties();
        client.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return scan(client, logs, literalSecrets);
    }

    /**
     * Scans every topic of the cluster but {@link #SKIPPED_TOPICS}, then the log files.
     *
     * @param kafkaClient    client settings (bootstrap servers, security), or {@code null} to scan logs only
     * @param logs           files, or directories whose files (recursively) are scanned; {@code .gz} unpacked
     * @param literalSecrets values that must appear nowhere, each at least {@value SecretDetector#MIN_LITERAL_LENGTH}
     *                       characters
     * @throws IllegalArgumentException if a literal secret is too short or a log path does not exist
     */
    public static ScanReport scan(Properties kafkaClient, List<Path> logs, List<String> literalSecrets) {
        for (Path log : logs) {
            if (!Files.exists(log)) {
                throw new IllegalArgumentException("no such log file or directory: " + log);
            }
        }
        SecretScan scan = new SecretScan(literalSecrets);
        Map<String, Long> recordsPerTopic = new TreeMap<>();
        List<String> skipped = new ArrayList<>();
        if (kafkaClient != null) {
            scan.scanTopics(kafkaClient, recordsPerTopic, skipped);
        }
        List<Path> files = logs.stream().flatMap(SecretScan::filesUnder).toList();
        long lines = 0;
        for (Path file : files) {
            lines += scan.scanFile(file);
        }
        return new ScanReport(scan.findings, recordsPerTopic, skipped, files, lines, literalSecrets.size());
    }

    /**
     * The secret values in Kafka client settings, to be searched for as well: every {@code *.password} setting
     * and each {@code password="..."} of {@code sasl.jaas.config}.
     */
    public static List<String> passwordsIn(Properties kafkaClient) {
        List<String> passwords = new ArrayList<>();
        for (String name : kafkaClient.stringPropertyNames()) {
            String value = kafkaClient.getProperty(name);
            if (name.endsWith(".password") && !value.isBlank()) {
                passwords.add(value);
            }
        }
        Matcher jaas = JAAS_PASSWORD.matcher(kafkaClient.getProperty("sasl.jaas.config", ""));
        while (jaas.find()) {
            passwords.add(jaas.group(1));
        }
        return passwords;
    }

    private void scanTopics(Properties kafkaClient, Map<String, Long> recordsPerTopic, List<String> skipped) {
        Set<String> topics;
        try (Admin admin = Admin.create(kafkaClient)) {
            topics = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing topics", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot list the cluster's topics: " + e.getCause().getMessage(), e);
        }
        Properties props = new Properties();
        props.putAll(kafkaClient);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // a check only reads: asking for a topic that is missing must not create it
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            for (String topic : topics.stream().sorted().toList()) {
                if (SKIPPED_TOPICS.contains(topic)) {
                    skipped.add(topic);
                    continue;
                }
                long[] count = {0};
                TopicReader.readToEnd(consumer, topic, record -> {
                    count[0]++;
                    scanRecord(record);
                });
                recordsPerTopic.put(topic, count[0]);
            }
        }
    }

    private void scanRecord(ConsumerRecord<byte[], byte[]> record) {
        String at = record.topic() + "-" + record.partition() + "@" + record.offset();
        scanBytes(record.key(), at + " key");
        scanBytes(record.value(), at + " value");
        for (Header header : record.headers()) {
            // the name is printed in the location, so it is printed redacted as well
            String name = SecretDetector.redact(header.key(), detector.detect(header.key(), true));
            String location = at + " header '" + name + "'";
            scanText(header.key(), location + " name", true);
            scanBytes(header.value(), location);
        }
    }

    private void scanBytes(byte[] bytes, String location) {
        if (bytes != null) {
            scanText(new String(bytes, StandardCharsets.ISO_8859_1), location, true);
        }
    }

    private long scanFile(Path file) {
        long lines = 0;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(open(file),
                StandardCharsets.ISO_8859_1))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines++;
                scanText(line, file + ":" + lines, false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read log file " + file, e);
        }
        return lines;
    }

    private void scanText(String text, String location, boolean binary) {
        List<SecretDetector.Detection> detections = detector.detect(text, binary);
        if (detections.isEmpty()) {
            return;
        }
        String redacted = SecretDetector.redact(text, detections);
        for (SecretDetector.Detection detection : detections) {
            findings.add(new Finding(detection.kind(), location,
                    SecretDetector.excerpt(redacted, detection, EXCERPT_CONTEXT)));
        }
    }

    private static InputStream open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        return file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(in) : in;
    }

    private static Stream<Path> filesUnder(Path path) {
        if (!Files.isDirectory(path)) {
            return Stream.of(path);
        }
        try (Stream<Path> walk = Files.walk(path)) {
            return walk.filter(Files::isRegularFile).sorted().toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list log directory " + path, e);
        }
    }
}
