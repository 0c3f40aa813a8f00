package dev.meterflow.metering.config;

import dev.meterflow.topics.Topics;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;

/**
 * The metering topology's configuration: one place for every key, its default and its meaning.
 *
 * <p>Sources, later ones winning: the defaults below; a properties file (or the {@link Properties} handed to
 * {@code MeteringTopology.build}); environment variables. A documented key {@code a.b-c} is overridden by
 * {@code METERFLOW_A_B_C} (a leading {@code meterflow.} is dropped); any other Kafka Streams or client setting {@code x.y} by
 * {@code METERFLOW_STREAMS_X_Y} (for example {@code METERFLOW_STREAMS_SECURITY_PROTOCOL=SASL_SSL}).
 * Keys not starting with {@code meterflow.} pass through to Kafka Streams.
 *
 * <p>The exactly-once guarantee, explicit internal naming and the dead letter queue are not settings:
 * {@link #streamsProperties()} always sets them.
 */
public final class MeteringConfig {

    public static final String ENV_PREFIX = "METERFLOW_";
    public static final String STREAMS_ENV_PREFIX = "METERFLOW_STREAMS_";

    /** Documented keys and their defaults, in the order {@code --help} lists them. */
    public static final Map<String, Key> KEYS = new LinkedHashMap<>();

    public static final Key BOOTSTRAP_SERVERS = key(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092",
            "Kafka brokers to connect to.");
    public static final Key APPLICATION_ID = key(StreamsConfig.APPLICATION_ID_CONFIG, "metering-topology",
            "Kafka Streams application id: consumer group, transactional id and internal topic prefix.");
    public static final Key STATE_DIR = key(StreamsConfig.STATE_DIR_CONFIG,
            System.getProperty("java.io.tmpdir") + "/meterflow/metering-state",
            "Where RocksDB keeps the local state stores.");
    public static final Key NUM_STREAM_THREADS = key(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "1",
            "Stream threads in this instance.");
    public static final Key REPLICATION_FACTOR = key(StreamsConfig.REPLICATION_FACTOR_CONFIG, "-1",
            "Replication of internal (changelog) topics; -1 takes the broker's default.");
    public static final Key COMMIT_INTERVAL_MS = key(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100",
            "How often a transaction commits: the latency floor for read_committed consumers.");
    public static final Key DEDUP_RETENTION = key("meterflow.dedup.retention", "P36D",
            "How long a debited eventId is remembered (ISO-8601 duration, at least P35D).");
    public static final Key DECLINE_BACKOFF = key("meterflow.recharge.decline-backoff", "PT24H",
            "After a declined or failed recharge, no automatic one until this passes or the payment methods change.");
    public static final Key MAX_THREAD_REPLACEMENTS = key("meterflow.max-thread-replacements", "3",
            "How many times a failed stream thread is replaced before the instance shuts down.");
    public static final Key SHUTDOWN_TIMEOUT = key("meterflow.shutdown-timeout", "PT30S",
            "How long a clean shutdown (SIGTERM) may take.");

    /** The shortest dedup horizon the contract allows (invariant 1). */
    public static final Duration MIN_DEDUP_RETENTION = Duration.ofDays(35);

    private final Properties values;

    private MeteringConfig(Properties values) {
        this.values = values;
    }

    /** Defaults overridden by {@code overrides}; no environment. */
    public static MeteringConfig from(Properties overrides) {
        Properties values = defaults();
        values.putAll(overrides);
        return validated(values);
    }

    /** Defaults, then the file (if any), then the environment. */
    public static MeteringConfig load(Path file, Map<String, String> environment) {
        Properties values = defaults();
        if (file != null) {
            try (Reader reader = Files.newBufferedReader(file)) {
                values.load(reader);
            } catch (IOException e) {
                throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage());
            }
        }
        applyEnvironment(values, environment);
        return validated(values);
    }

    public String get(Key key) {
        return values.getProperty(key.name());
    }

    public Duration dedupRetention() {
        return duration(DEDUP_RETENTION);
    }

    public Duration declineBackoff() {
        return duration(DECLINE_BACKOFF);
    }

    public int maxThreadReplacements() {
        return integer(MAX_THREAD_REPLACEMENTS);
    }

    public Duration shutdownTimeout() {
        return duration(SHUTDOWN_TIMEOUT);
    }

    /** What Kafka Streams gets: every non-{@code meterflow.} key, plus the settings that are not negotiable. */
    public Properties streamsProperties() {
        Properties streams = new Properties();
        values.stringPropertyNames().stream()
                .filter(name -> !name.startsWith("meterflow."))
                .forEach(name -> streams.setProperty(name, values.getProperty(name)));
        streams.setProperty(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        streams.setProperty(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, "true");
        streams.setProperty(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, Topics.METERING_DLQ.name());
        streams.setProperty(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                LogAndContinueExceptionHandler.class.getName());
        streams.setProperty(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                LogAndContinueProcessingExceptionHandler.class.getName());
        // the rate-card updater too: a failing update goes to the DLQ instead of killing the global thread
        streams.setProperty(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
        return streams;
    }

    /** The environment variable that overrides a documented key: {@code meterflow.a.b-c} is {@code METERFLOW_A_B_C}. */
    public static String environmentName(String key) {
        String bare = key.startsWith("meterflow.") ? key.substring("meterflow.".length()) : key;
        return ENV_PREFIX + bare.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static void applyEnvironment(Properties values, Map<String, String> environment) {
        for (Key key : KEYS.values()) {
            String override = environment.get(environmentName(key.name()));
            if (override != null) {
                values.setProperty(key.name(), override);
            }
        }
        environment.forEach((name, value) -> {
            if (name.startsWith(STREAMS_ENV_PREFIX)) {
                String key = name.substring(STREAMS_ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
                values.setProperty(key, value);
            }
        });
    }

    private static Properties defaults() {
        Properties defaults = new Properties();
        KEYS.values().forEach(key -> defaults.setProperty(key.name(), key.defaultValue()));
        return defaults;
    }

    private static MeteringConfig validated(Properties values) {
        MeteringConfig config = new MeteringConfig(values);
        for (Key key : KEYS.values()) {
            String value = values.getProperty(key.name());
            if (value == null || value.isBlank()) {
                throw new ConfigException(key.name() + " must not be empty (" + key.description() + ")");
            }
        }
        config.integer(NUM_STREAM_THREADS);
        config.integer(REPLICATION_FACTOR);
        config.integer(COMMIT_INTERVAL_MS);
        config.declineBackoff();
        config.shutdownTimeout();
        if (config.maxThreadReplacements() < 0) {
            throw new ConfigException(MAX_THREAD_REPLACEMENTS.name() + " must be >= 0, was "
                    + config.maxThreadReplacements());
        }
        if (config.dedupRetention().compareTo(MIN_DEDUP_RETENTION) < 0) {
            throw new ConfigException(DEDUP_RETENTION.name() + " must be at least P" + MIN_DEDUP_RETENTION.toDays() + "D"
                    + " (the contract's dedup horizon), was " + config.get(DEDUP_RETENTION));
        }
        return config;
    }

    private Duration duration(Key key) {
        String value = get(key);
        try {
            Duration duration = Duration.parse(value);
            if (duration.isNegative()) {
                throw new ConfigException(key.name() + " must not be negative, was '" + value + "'");
            }
            return duration;
        } catch (DateTimeParseException e) {
            throw new ConfigException(key.name() + " must be an ISO-8601 duration such as " + key.defaultValue()
                    + ", was '" + value + "'");
        }
    }

    private int integer(Key key) {
        String value = get(key);
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new ConfigException(key.name() + " must be a whole number, was '" + value + "'");
        }
    }

    private static Key key(String name, String defaultValue, String description) {
        Key key = new Key(name, defaultValue, description);
        KEYS.put(name, key);
        return key;
    }

    /** A documented configuration key. */
    public record Key(String name, String defaultValue, String description) {
    }

    /** A configuration problem, with one line that names the key. */
    public static final class ConfigException extends RuntimeException {
        public ConfigException(String message) {
            super(message);
        }
    }
}
