package dev.meterflow.metering.config;

import dev.meterflow.config.AppConfig;
import dev.meterflow.config.AppConfig.Key;
import dev.meterflow.config.KafkaKeys;
import dev.meterflow.health.HealthServer;
import dev.meterflow.metering.errors.DeadLetterDeserializationHandler;
import dev.meterflow.metering.errors.DeadLetterProcessingHandler;
import dev.meterflow.money.Money;
import dev.meterflow.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The metering topology's configuration: one place for every key, its default and its meaning. Sources,
 * later ones winning: the defaults below; a properties file (or the {@link Properties} handed to
 * {@code MeteringTopology.build}); environment variables (see {@link AppConfig}). Keys not starting with
 * {@code meterflow.} pass through to Kafka Streams.
 *
 * <p>The exactly-once guarantee, explicit internal naming and the dead letter queue are not settings:
 * {@link #streamsProperties()} always sets them.
 */
public final class MeteringConfig {

    public static final Key BOOTSTRAP_SERVERS = Key.of(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092",
            "Kafka brokers to connect to.");
    public static final Key APPLICATION_ID = Key.of(StreamsConfig.APPLICATION_ID_CONFIG, "metering-topology",
            "Kafka Streams application id: consumer group, transactional id and internal topic prefix.");
    public static final Key STATE_DIR = Key.of(StreamsConfig.STATE_DIR_CONFIG,
            System.getProperty("java.io.tmpdir") + "/meterflow/metering-state",
            "Where RocksDB keeps the local state stores.");
    public static final Key NUM_STREAM_THREADS = Key.of(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "1",
            "Stream threads in this instance.");
    public static final Key REPLICATION_FACTOR = Key.of(StreamsConfig.REPLICATION_FACTOR_CONFIG, "-1",
            "Replication of internal (changelog) topics; -1 takes the broker's default.");
    public static final Key COMMIT_INTERVAL_MS = Key.of(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100",
            "How often a transaction commits: the latency floor for read_committed consumers.");
    public static final Key DEDUP_RETENTION = Key.of("meterflow.dedup.retention", "P36D",
            "How long a debited eventId is remembered (ISO-8601 duration, at least P35D).");
    public static final Key DECLINE_BACKOFF = Key.of("meterflow.recharge.decline-backoff", "PT24H",
            "After a declined or failed recharge, no automatic one until this passes or the payment methods change.");
    public static final Key BACKOFF_CHECK_INTERVAL = Key.of("meterflow.recharge.backoff-check-interval", "PT1M",
            "How often accounts whose decline back-off has passed are looked for (a paused account sends no usage).");
    public static final Key PENDING_TIMEOUT = Key.of("meterflow.recharge.pending-timeout", "PT30M",
            "An automatic recharge with no result after this long is reported (log line and counter), once.");
    public static final Key TAX_RUN_INTERVAL = Key.of("meterflow.tax.run-interval", "PT30S",
            "How often the monthly tax run looks for a new month by the wall clock and debits a slice of tax lines.");
    public static final Key TAX_RUN_SLICE_SIZE = Key.of("meterflow.tax.run-slice-size", "500",
            "The most tax lines one run of the monthly tax debits in one transaction; the rest wait for the next.");
    public static final Key MAX_THREAD_REPLACEMENTS = Key.of("meterflow.max-thread-replacements", "3",
            "How many times a failed stream thread is replaced before the instance shuts down.");
    public static final Key MAX_USAGE_AMOUNT = Key.of("meterflow.usage.max-amount", "1000",
            "Whole dollars: a usage event priced above this is parked IMPLAUSIBLE_AMOUNT instead of debited.");
    public static final Key MAX_RECHARGE_AMOUNT = Key.of("meterflow.recharge.max-amount", "10000",
            "Whole dollars: settings whose recharge amount or target is above this are refused.");
    public static final Key MAX_PAYMENT_AMOUNT = Key.of("meterflow.payment.max-amount", "10000",
            "Whole dollars: a one-time payment (Make a Payment) above this is refused AMOUNT_ABOVE_LIMIT.");
    public static final Key SHUTDOWN_TIMEOUT = Key.of("meterflow.shutdown-timeout", "PT30S",
            "How long a clean shutdown (SIGTERM) may take.");

    public static final Key STALL_TIMEOUT = Key.of("meterflow.stall-timeout", "PT5M",
            "How long the instance may restore, stay out of RUNNING or leave input unprocessed without any progress "
                    + "before it logs an ERROR, reports not ready and exits with code 75 for its supervisor to restart it.");

    public static final Key HEALTH_PORT = Key.of(HealthServer.PORT_KEY, "0",
            "Port of /metrics, /health/live and /health/ready (0: any free port, logged at start-up).");

    public static final Key ABORT_HANGING_TRANSACTIONS = Key.of("meterflow.stall.abort-hanging-transactions", "true",
            "When the instance is stuck restoring a changelog held by a transaction its coordinator no longer has and "
                    + "older than the transaction timeout (a hanging one), abort it before exiting with code 75.");

    public static final Key ORPHANED_TRANSACTIONS_CHECK_INTERVAL = Key.of(
            "meterflow.orphaned-transactions.check-interval", "PT2S",
            "How often the partitions metering writes are searched for transactions their coordinator completed "
                    + "without markers (KAFKA-20734); a search the broker does not answer is retried at once.");
    public static final Key ABORT_ORPHANED_TRANSACTIONS = Key.of("meterflow.orphaned-transactions.abort", "true",
            "Abort such an orphaned transaction on every partition when its input will be processed again; false "
                    + "only reports them (ERROR log, meterflow_metering_orphaned_transactions_* metrics).");

    /** Documented keys, in the order {@code --help} lists them. */
    public static final List<Key> KEYS = List.of(BOOTSTRAP_SERVERS, APPLICATION_ID, STATE_DIR, NUM_STREAM_THREADS,
            REPLICATION_FACTOR, COMMIT_INTERVAL_MS, DEDUP_RETENTION, DECLINE_BACKOFF, BACKOFF_CHECK_INTERVAL,
            PENDING_TIMEOUT,
            MAX_THREAD_REPLACEMENTS, MAX_USAGE_AMOUNT, MAX_RECHARGE_AMOUNT, MAX_PAYMENT_AMOUNT, SHUTDOWN_TIMEOUT,
            STALL_TIMEOUT, ABORT_HANGING_TRANSACTIONS, HEALTH_PORT,
            TAX_RUN_INTERVAL, TAX_RUN_SLICE_SIZE,
            ORPHANED_TRANSACTIONS_CHECK_INTERVAL, ABORT_ORPHANED_TRANSACTIONS);

    /** The shortest dedup horizon the contract allows (invariant 1). */
    public static final Duration MIN_DEDUP_RETENTION = Duration.ofDays(35);

    private final AppConfig config;

    private MeteringConfig(AppConfig config) {
        this.config = config;
        config.integerAtLeast(NUM_STREAM_THREADS, 1);
        config.integer(REPLICATION_FACTOR);
        config.integerAtLeast(COMMIT_INTERVAL_MS, 0);
        config.integerAtLeast(MAX_THREAD_REPLACEMENTS, 0);
        healthPort();
        declineBackoff();
        if (backoffCheckInterval().isZero()) {
            throw new AppConfig.ConfigException(BACKOFF_CHECK_INTERVAL.name() + " must be above zero");
        }
        shutdownTimeout();
        if (pendingTimeout().isZero() || pendingTimeout().isNegative()) {
            throw new AppConfig.ConfigException(PENDING_TIMEOUT.name() + " must be above zero, was "
                    + get(PENDING_TIMEOUT));
        }
        if (stallTimeout().isZero() || stallTimeout().isNegative()) {
            throw new AppConfig.ConfigException(STALL_TIMEOUT.name() + " must be above zero, was " + get(STALL_TIMEOUT));
        }
        abortHangingTransactions();
        orphanedTransactionsCheckInterval();
        abortOrphanedTransactions();
        if (taxRunInterval().isZero() || taxRunInterval().isNegative()) {
            throw new AppConfig.ConfigException(TAX_RUN_INTERVAL.name() + " must be above zero, was "
                    + get(TAX_RUN_INTERVAL));
        }
        taxRunSliceSize();
        maxUsageAmountMicros();
        maxRechargeMicros();
        maxPaymentMicros();
        if (dedupRetention().compareTo(MIN_DEDUP_RETENTION) < 0) {
            throw new AppConfig.ConfigException(DEDUP_RETENTION.name() + " must be at least P"
                    + MIN_DEDUP_RETENTION.toDays() + "D (the contract's dedup horizon), was " + get(DEDUP_RETENTION));
        }
    }

    /** Defaults overridden by {@code overrides}; no environment. */
    public static MeteringConfig from(Properties overrides) {
        return new MeteringConfig(AppConfig.of(KEYS, overrides));
    }

    /** Defaults, then the file (if any), then the environment; every key of either must be known. */
    public static MeteringConfig load(Path file, Map<String, String> environment) {
        return new MeteringConfig(AppConfig.load(KEYS, KAFKA_KEYS, file, environment));
    }

    /**
     * Kafka Streams' own keys and its clients', plain or for one client only ({@code main.consumer.},
     * {@code producer.}, ...), and topic configs of its internal topics ({@code topic.}).
     */
    static final KafkaKeys KAFKA_KEYS = kafkaKeys();

    private static KafkaKeys kafkaKeys() {
        Set<String> names = new TreeSet<>(StreamsConfig.configDef().names());
        names.addAll(KafkaKeys.clientNames());
        Set<String> consumer = ConsumerConfig.configDef().names();
        return new KafkaKeys(names, Map.of(
                StreamsConfig.CONSUMER_PREFIX, consumer,
                StreamsConfig.MAIN_CONSUMER_PREFIX, consumer,
                StreamsConfig.RESTORE_CONSUMER_PREFIX, consumer,
                StreamsConfig.GLOBAL_CONSUMER_PREFIX, consumer,
                StreamsConfig.PRODUCER_PREFIX, ProducerConfig.configDef().names(),
                StreamsConfig.ADMIN_CLIENT_PREFIX, AdminClientConfig.configDef().names(),
                StreamsConfig.TOPIC_PREFIX, Set.of(),
                KafkaKeys.CONFIG_PROVIDERS_PREFIX, Set.of()));
    }

    public String get(Key key) {
        return config.get(key);
    }

    public Duration dedupRetention() {
        return config.duration(DEDUP_RETENTION);
    }

    public Duration declineBackoff() {
        return config.duration(DECLINE_BACKOFF);
    }

    public Duration backoffCheckInterval() {
        return config.duration(BACKOFF_CHECK_INTERVAL);
    }

    public Duration pendingTimeout() {
        return config.duration(PENDING_TIMEOUT);
    }

    public Duration taxRunInterval() {
        return config.duration(TAX_RUN_INTERVAL);
    }

    public int taxRunSliceSize() {
        return config.integerAtLeast(TAX_RUN_SLICE_SIZE, 1);
    }

    public int maxThreadReplacements() {
        return config.integer(MAX_THREAD_REPLACEMENTS);
    }

    public long maxUsageAmountMicros() {
        return positiveDollars(MAX_USAGE_AMOUNT);
    }

    public long maxRechargeMicros() {
        return positiveDollars(MAX_RECHARGE_AMOUNT);
    }

    public long maxPaymentMicros() {
        return positiveDollars(MAX_PAYMENT_AMOUNT);
    }

    private long positiveDollars(Key key) {
        try {
            long dollars = Long.parseLong(get(key).strip());
            if (dollars > 0 && dollars <= Long.MAX_VALUE / Money.MICROS_PER_DOLLAR) {
                return Money.dollarsToMicros(dollars);
            }
        } catch (NumberFormatException e) {
            // reported below, naming the key
        }
        throw new AppConfig.ConfigException(key.name() + " must be a whole number of dollars above 0, was '"
                + get(key) + "'");
    }

    public Duration shutdownTimeout() {
        return config.duration(SHUTDOWN_TIMEOUT);
    }

    public Duration stallTimeout() {
        return config.duration(STALL_TIMEOUT);
    }

    public int healthPort() {
        int port = config.integerAtLeast(HEALTH_PORT, 0);
        if (port > 65_535) {
            throw new AppConfig.ConfigException(HEALTH_PORT.name() + " must be a port (0 to 65535), was " + port);
        }
        return port;
    }

    public boolean abortHangingTransactions() {
        String value = get(ABORT_HANGING_TRANSACTIONS).strip();
        if (value.equals("true") || value.equals("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new AppConfig.ConfigException(ABORT_HANGING_TRANSACTIONS.name() + " must be true or false, was '"
                + get(ABORT_HANGING_TRANSACTIONS) + "'");
    }

    public Duration orphanedTransactionsCheckInterval() {
        Duration interval = config.duration(ORPHANED_TRANSACTIONS_CHECK_INTERVAL);
        if (interval.isZero() || interval.isNegative()) {
            throw new AppConfig.ConfigException(ORPHANED_TRANSACTIONS_CHECK_INTERVAL.name()
                    + " must be above zero, was " + get(ORPHANED_TRANSACTIONS_CHECK_INTERVAL));
        }
        return interval;
    }

    public boolean abortOrphanedTransactions() {
        String value = get(ABORT_ORPHANED_TRANSACTIONS).strip();
        if (value.equals("true") || value.equals("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new AppConfig.ConfigException(ABORT_ORPHANED_TRANSACTIONS.name() + " must be true or false, was '"
                + get(ABORT_ORPHANED_TRANSACTIONS) + "'");
    }

    /**
     * The {@code transaction.timeout.ms} Kafka Streams gives its producers (its own default under exactly-once
     * unless set): a live transaction older than this has been aborted by its coordinator.
     */
    public Duration transactionTimeout() {
        Object timeout = new StreamsConfig(streamsProperties()).getProducerConfigs("meterflow-metering")
                .get(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG);
        return Duration.ofMillis(Long.parseLong(String.valueOf(timeout).strip()));
    }

    /**
     * The Kafka client settings alone ({@code bootstrap.servers}, security, ...), without the Kafka Streams ones:
     * for the plain consumer and producer of {@code replay-unpriced}.
     */
    public Properties clientProperties() {
        Properties client = config.kafkaProperties();
        KEYS.stream().filter(key -> key != BOOTSTRAP_SERVERS).forEach(key -> client.remove(key.name()));
        return client;
    }

    /** What Kafka Streams gets: every non-{@code meterflow.} key, plus the settings that are not negotiable. */
    public Properties streamsProperties() {
        Properties streams = config.kafkaProperties();
        streams.setProperty(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        streams.setProperty(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, "true");
        streams.setProperty(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, Topics.METERING_DLQ.name());
        streams.setProperty(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetterDeserializationHandler.class.getName());
        streams.setProperty(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetterProcessingHandler.class.getName());
        // not on the global thread: Kafka Streams cannot write a dead letter there (issue 16, item 1), so the
        // global stores decode and refuse bad records themselves and never throw for one
        streams.setProperty(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "false");
        return streams;
    }
}
