package dev.meterflow.worker.config;

import dev.meterflow.config.AppConfig;
import dev.meterflow.config.AppConfig.Key;
import dev.meterflow.config.KafkaKeys;
import dev.meterflow.health.HealthServer;
import dev.meterflow.worker.recharge.SoftDeclineLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The recharge worker's configuration: every key, its default and its meaning (see {@link AppConfig} for the
 * file and environment overrides). The gateway API key is a secret: it comes from the environment
 * ({@code METERFLOW_GATEWAY_API_KEY}) or a file ({@code meterflow.gateway.api-key-file}), is never given a
 * default, never printed and never logged.
 */
public final class WorkerConfig {

    public static final Key BOOTSTRAP_SERVERS = Key.of("bootstrap.servers", "localhost:9092",
            "Kafka brokers to connect to.");
    public static final Key GROUP_ID = Key.of("group.id", "recharge-worker",
            "Consumer group of recharge-requests; every worker instance shares it.");
    public static final Key TRANSACTIONAL_ID = Key.of("transactional.id", "recharge-worker-1",
            "Unique per instance and stable across its restarts, so a restarted instance fences its predecessor.");
    public static final Key GATEWAY_BASE_URL = Key.of("meterflow.gateway.base-url", "https://api.stripe.com",
            "The payment gateway's API base URL (Stripe's, or the local simulator's).");
    public static final Key GATEWAY_API_KEY = Key.secret("meterflow.gateway.api-key",
            "The gateway's secret API key (sk_test_... or sk_live_...). Prefer the environment or the key file.");
    public static final Key GATEWAY_API_KEY_FILE = Key.of("meterflow.gateway.api-key-file", "",
            "A file holding the gateway API key (for example a mounted secret); used when the key is not set.");
    public static final Key GATEWAY_RATE_LIMIT = Key.of("meterflow.gateway.rate-limit", "20",
            "Requests per second the worker may send to the gateway.");
    public static final Key GATEWAY_TIMEOUT = Key.of("meterflow.gateway.timeout", "PT30S",
            "How long to wait for one gateway answer before its outcome counts as unknown.");
    public static final Key MAX_IN_FLIGHT = Key.of("meterflow.max-in-flight", "16",
            "Requests worked on at once (different accounts; one account's requests stay in order); at most 100.");
    public static final Key UNKNOWN_MAX_TRIES = Key.of("meterflow.unknown.max-tries", "3",
            "Gateway calls with the same idempotency key while a card's outcome stays unknown, before a look-up.");
    public static final Key UNKNOWN_RETRY_BACKOFF = Key.of("meterflow.unknown.retry-backoff", "PT2S",
            "Pause before calling again with the same key after an unknown outcome; doubled on each 429 in a row.");
    public static final Key SOFT_DECLINE_MAX_PER_DAY = Key.of("meterflow.soft-decline.max-per-day", "4",
            "Soft declines of one card, across requests, in a rolling 24 h at which no new charge is made on it "
                    + "(card networks limit retries per 24 h); at least 1.");
    public static final Key SOFT_DECLINE_MAX_PER_30_DAYS = Key.of("meterflow.soft-decline.max-per-30-days", "15",
            "Soft declines of one card, across requests, in a rolling 30 days at which no new charge is made on it "
                    + "(Visa allows at most 15 re-attempts in 30 days); at least 1.");
    public static final Key MIN_AMOUNT_CENTS = Key.of("meterflow.recharge.min-amount-cents", "50",
            "The smallest request the worker charges; a smaller one is refused before the gateway and dead-lettered "
                    + "(Stripe charges at least $0.50 in USD).");
    public static final Key MAX_AMOUNT_CENTS = Key.of("meterflow.recharge.max-amount-cents", "2000000",
            "The largest request the worker charges; a larger one is refused before the gateway and dead-lettered "
                    + "(default $20,000: twice the settings' cap on a recharge, so a top-up from below zero passes).");
    public static final Key RECONCILE_INTERVAL = Key.of("meterflow.reconcile-interval", "PT1M",
            "How often a request held with an unknown outcome is checked with the gateway again.");
    public static final Key ACH_POLL_INTERVAL = Key.of("meterflow.ach.poll-interval", "PT1M",
            "How often a parked bank debit (ACH, processing for days) is looked up at the gateway until it settles.");
    public static final Key SHUTDOWN_TIMEOUT = Key.of("meterflow.shutdown-timeout", "PT30S",
            "How long a clean shutdown (SIGTERM) waits for requests in flight.");
    public static final Key HEALTH_PORT = Key.of(HealthServer.PORT_KEY, "0",
            "Port of /metrics, /health/live and /health/ready (0: any free port, logged at start-up).");
    public static final Key ABORT_HANGING_TRANSACTIONS = Key.of("meterflow.attempt-log.abort-hanging-transactions",
            "true", "When reading the attempt log stands still past the transaction timeout on a transaction no "
                    + "coordinator has open (a hanging one), abort it (false: leave it to an operator).");

    /** Far above any gateway's answer time; a longer wait only holds a request's card longer. */
    public static final Duration MAX_GATEWAY_TIMEOUT = Duration.ofMinutes(10);

    /**
     * The open requests of a partition travel in its committed offset's metadata (issue 15), which the broker caps
     * at 4 KB by default ({@code offset.metadata.max.bytes}): 100 in flight keep it under a quarter of that.
     */
    public static final int MAX_IN_FLIGHT_LIMIT = 100;

    public static final List<Key> KEYS = List.of(BOOTSTRAP_SERVERS, GROUP_ID, TRANSACTIONAL_ID, GATEWAY_BASE_URL,
            GATEWAY_API_KEY, GATEWAY_API_KEY_FILE, GATEWAY_RATE_LIMIT, GATEWAY_TIMEOUT, MAX_IN_FLIGHT,
            UNKNOWN_MAX_TRIES, UNKNOWN_RETRY_BACKOFF, SOFT_DECLINE_MAX_PER_DAY, SOFT_DECLINE_MAX_PER_30_DAYS,
            MIN_AMOUNT_CENTS, MAX_AMOUNT_CENTS, RECONCILE_INTERVAL, SHUTDOWN_TIMEOUT, HEALTH_PORT, ACH_POLL_INTERVAL,
            ABORT_HANGING_TRANSACTIONS);

    private final AppConfig config;

    private WorkerConfig(AppConfig config) {
        this.config = config;
        config.positiveDecimal(GATEWAY_RATE_LIMIT);
        if (config.integerAtLeast(MAX_IN_FLIGHT, 1) > MAX_IN_FLIGHT_LIMIT) {
            throw new AppConfig.ConfigException(MAX_IN_FLIGHT.name() + " must be at most " + MAX_IN_FLIGHT_LIMIT
                    + " (the open requests travel in the committed offset's metadata), was "
                    + config.get(MAX_IN_FLIGHT));
        }
        config.integerAtLeast(UNKNOWN_MAX_TRIES, 1);
        healthPort();
        config.integerAtLeast(SOFT_DECLINE_MAX_PER_DAY, 1);
        config.integerAtLeast(SOFT_DECLINE_MAX_PER_30_DAYS, 1);
        if (config.integerAtLeast(MAX_AMOUNT_CENTS, 1) < config.integerAtLeast(MIN_AMOUNT_CENTS, 1)) {
            throw new AppConfig.ConfigException(MAX_AMOUNT_CENTS.name() + " must be at least "
                    + MIN_AMOUNT_CENTS.name() + " (" + config.get(MIN_AMOUNT_CENTS) + ")");
        }
        gatewayTimeout();
        gatewayBaseUrl();
        config.duration(UNKNOWN_RETRY_BACKOFF);
        config.duration(RECONCILE_INTERVAL);
        config.duration(SHUTDOWN_TIMEOUT);
        achPollInterval();
        abortHangingTransactions();
    }

    public static WorkerConfig from(Properties overrides) {
        return new WorkerConfig(AppConfig.of(KEYS, overrides));
    }

    public static WorkerConfig load(Path file, Map<String, String> environment) {
        return new WorkerConfig(AppConfig.load(KEYS, KafkaKeys.clients(), file, environment));
    }

    public String get(Key key) {
        return config.get(key);
    }

    /** The gateway API key, from the key itself or its file. */
    public String gatewayApiKey() {
        String key = config.get(GATEWAY_API_KEY);
        if (key != null && !key.isBlank()) {
            return GatewayEndpoint.requireKeyFitsUrl(key.strip(), gatewayBaseUrl());
        }
        String file = config.get(GATEWAY_API_KEY_FILE);
        if (file != null && !file.isBlank()) {
            try {
                String fromFile = Files.readString(Path.of(file)).strip();
                if (!fromFile.isEmpty()) {
                    return GatewayEndpoint.requireKeyFitsUrl(fromFile, gatewayBaseUrl());
                }
            } catch (IOException e) {
                throw new AppConfig.ConfigException(GATEWAY_API_KEY_FILE.name() + ": cannot read " + file + ": "
                        + e.getMessage());
            }
        }
        throw new AppConfig.ConfigException(GATEWAY_API_KEY.name() + " must be set: environment "
                + AppConfig.environmentName(GATEWAY_API_KEY.name()) + " or a file named by "
                + GATEWAY_API_KEY_FILE.name());
    }

    public double gatewayRateLimit() {
        return config.positiveDecimal(GATEWAY_RATE_LIMIT);
    }

    /** Above zero and at most {@link #MAX_GATEWAY_TIMEOUT}: the HTTP client takes it as an int of milliseconds. */
    public Duration gatewayTimeout() {
        Duration timeout = config.duration(GATEWAY_TIMEOUT);
        if (timeout.isZero() || timeout.compareTo(MAX_GATEWAY_TIMEOUT) > 0) {
            throw new AppConfig.ConfigException(GATEWAY_TIMEOUT.name() + " must be above zero and at most "
                    + MAX_GATEWAY_TIMEOUT + ", was " + get(GATEWAY_TIMEOUT));
        }
        return timeout;
    }

    /** An absolute http(s) URL with a host, without a path's trailing slash. */
    public String gatewayBaseUrl() {
        return GatewayEndpoint.baseUrl(GATEWAY_BASE_URL.name(), get(GATEWAY_BASE_URL));
    }

    public int maxInFlight() {
        return config.integer(MAX_IN_FLIGHT);
    }

    public int unknownMaxTries() {
        return config.integer(UNKNOWN_MAX_TRIES);
    }

    public Duration unknownRetryBackoff() {
        return config.duration(UNKNOWN_RETRY_BACKOFF);
    }

    public SoftDeclineLimits softDeclineLimits() {
        return new SoftDeclineLimits(config.integer(SOFT_DECLINE_MAX_PER_DAY),
                config.integer(SOFT_DECLINE_MAX_PER_30_DAYS));
    }

    public long minAmountCents() {
        return config.integer(MIN_AMOUNT_CENTS);
    }

    public long maxAmountCents() {
        return config.integer(MAX_AMOUNT_CENTS);
    }

    public Duration reconcileInterval() {
        return config.duration(RECONCILE_INTERVAL);
    }

    /** Above zero: a parked bank debit is looked up again this often. */
    public Duration achPollInterval() {
        Duration interval = config.duration(ACH_POLL_INTERVAL);
        if (interval.isZero() || interval.isNegative()) {
            throw new AppConfig.ConfigException(ACH_POLL_INTERVAL.name() + " must be above zero, was "
                    + get(ACH_POLL_INTERVAL));
        }
        return interval;
    }

    public int healthPort() {
        int port = config.integerAtLeast(HEALTH_PORT, 0);
        if (port > 65_535) {
            throw new AppConfig.ConfigException(HEALTH_PORT.name() + " must be a port (0 to 65535), was " + port);
        }
        return port;
    }

    public Duration shutdownTimeout() {
        return config.duration(SHUTDOWN_TIMEOUT);
    }

    /** Kafka client settings shared by the worker's consumer and producers (security, bootstrap, ...). */
    public boolean abortHangingTransactions() {
        String value = get(ABORT_HANGING_TRANSACTIONS).strip();
        if (value.equals("true") || value.equals("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new AppConfig.ConfigException(ABORT_HANGING_TRANSACTIONS.name() + " must be true or false, was '"
                + get(ABORT_HANGING_TRANSACTIONS) + "'");
    }

    public Map<String, Object> kafkaClientProperties() {
        Properties kafka = config.kafkaProperties();
        kafka.remove(GROUP_ID.name());
        kafka.remove(TRANSACTIONAL_ID.name());
        Map<String, Object> map = new java.util.HashMap<>();
        kafka.stringPropertyNames().forEach(name -> map.put(name, kafka.getProperty(name)));
        return map;
    }
}
