package dev.meterflow.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * The configuration of one Meterflow app: documented keys with defaults, overridden by a properties file,
 * then by environment variables. A documented key {@code a.b-c} (or {@code meterflow.a.b-c}) is overridden by
 * {@code METERFLOW_A_B_C}; any other Kafka client key {@code x.y} by {@code METERFLOW_KAFKA_X_Y}. Keys not
 * starting with {@code meterflow.} are Kafka client settings and pass through ({@link #kafkaProperties()});
 * {@link #load} refuses keys and variables that are neither.
 * Every problem is a {@link ConfigException} whose one-line message names the key.
 */
public final class AppConfig {

    public static final String ENV_PREFIX = "METERFLOW_";
    public static final String KAFKA_ENV_PREFIX = "METERFLOW_KAFKA_";
    private static final String OWN_PREFIX = "meterflow.";
    /**
     * Read by the recharge worker and by {@code meterflow reconcile}, so an operator's shell may export it for
     * all of them: not a misspelling when the metering app sees it.
     */
    private static final Set<String> SHARED_ENVIRONMENT = Set.of("METERFLOW_GATEWAY_API_KEY");

    private final List<Key> keys;
    private final Properties values;

    private AppConfig(List<Key> keys, Properties values) {
        this.keys = List.copyOf(keys);
        this.values = values;
        for (Key key : keys) {
            String value = values.getProperty(key.name());
            if (key.required() && (value == null || value.isBlank())) {
                throw new ConfigException(key.name() + " must be set (" + key.description() + "); environment "
                        + environmentName(key.name()));
            }
        }
    }

    /** Defaults overridden by {@code overrides}; no file, no environment. */
    public static AppConfig of(List<Key> keys, Properties overrides) {
        Properties values = defaults(keys);
        values.putAll(overrides);
        return new AppConfig(keys, values);
    }

    /**
     * Defaults, then the file (if any), then the environment. Every key of the file and every {@code METERFLOW_}
     * variable must be known: one of {@code keys}, or a Kafka client key of {@code kafkaKeys}; a misspelt one is
     * an error that suggests the nearest known key.
     */
    public static AppConfig load(List<Key> keys, KafkaKeys kafkaKeys, Path file, Map<String, String> environment) {
        Properties values = defaults(keys);
        List<String> unknown = new ArrayList<>();
        if (file != null) {
            Properties fromFile = new Properties();
            try (Reader reader = Files.newBufferedReader(file)) {
                fromFile.load(reader);
            } catch (IOException e) {
                throw new ConfigException("cannot read configuration file " + file + ": " + e);
            }
            fromFile.stringPropertyNames().stream().sorted()
                    .filter(name -> !known(keys, kafkaKeys, name))
                    .forEach(name -> unknown.add("unknown key '" + name + "' in " + file
                            + suggestion(keys, kafkaKeys, name)));
            values.putAll(fromFile);
        }
        environment.keySet().stream().sorted().filter(name -> name.startsWith(ENV_PREFIX))
                .map(name -> unknownVariable(keys, kafkaKeys, name)).flatMap(Optional::stream).forEach(unknown::add);
        if (!unknown.isEmpty()) {
            throw new ConfigException(String.join("; ", unknown));
        }
        for (Key key : keys) {
            String override = environment.get(environmentName(key.name()));
            if (override != null) {
                values.setProperty(key.name(), override);
            }
        }
        environment.forEach((name, value) -> {
            if (name.startsWith(KAFKA_ENV_PREFIX)) {
                values.setProperty(kafkaKey(name), value);
            }
        });
        return new AppConfig(keys, values);
    }

    private static boolean known(List<Key> keys, KafkaKeys kafkaKeys, String name) {
        boolean documented = keys.stream().anyMatch(key -> key.name().equals(name));
        return documented || !name.startsWith(OWN_PREFIX) && kafkaKeys.known(name);
    }

    private static String suggestion(List<Key> keys, KafkaKeys kafkaKeys, String name) {
        List<String> documented = keys.stream().map(Key::name).toList();
        Optional<String> nearest = name.startsWith(OWN_PREFIX) ? EditDistance.nearest(name, documented)
                : kafkaKeys.nearest(name, documented);
        return nearest.map(key -> "; did you mean '" + key + "'?").orElse("");
    }

    /** The problem with a {@code METERFLOW_} variable this app does not know, if it is one. */
    private static Optional<String> unknownVariable(List<Key> keys, KafkaKeys kafkaKeys, String variable) {
        if (variable.startsWith(KAFKA_ENV_PREFIX)) {
            String kafkaKey = kafkaKey(variable);
            return known(keys, kafkaKeys, kafkaKey) ? Optional.empty() : Optional.of("environment variable "
                    + variable + " sets '" + kafkaKey + "', not a Kafka client key" + suggestion(keys, kafkaKeys,
                    kafkaKey));
        }
        List<String> documented = keys.stream().map(key -> environmentName(key.name())).toList();
        if (documented.contains(variable) || SHARED_ENVIRONMENT.contains(variable)) {
            return Optional.empty();
        }
        return Optional.of("unknown environment variable " + variable
                + EditDistance.nearest(variable, documented).map(name -> "; did you mean " + name + "?").orElse(""));
    }

    private static String kafkaKey(String variable) {
        return variable.substring(KAFKA_ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
    }

    /** {@code meterflow.a.b-c} and {@code a.b-c} are both overridden by {@code METERFLOW_A_B_C}. */
    public static String environmentName(String key) {
        String bare = key.startsWith(OWN_PREFIX) ? key.substring(OWN_PREFIX.length()) : key;
        return ENV_PREFIX + bare.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public List<Key> keys() {
        return keys;
    }

    public String get(Key key) {
        return values.getProperty(key.name());
    }

    public Duration duration(Key key) {
        String value = get(key);
        try {
            Duration duration = Duration.parse(value.strip());
            if (duration.isNegative()) {
                throw new ConfigException(key.name() + " must not be negative, was '" + value + "'");
            }
            return duration;
        } catch (DateTimeParseException | NullPointerException e) {
            throw new ConfigException(key.name() + " must be an ISO-8601 duration such as " + key.defaultValue()
                    + ", was '" + value + "'");
        }
    }

    public int integer(Key key) {
        String value = get(key);
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException | NullPointerException e) {
            throw new ConfigException(key.name() + " must be a whole number, was '" + value + "'");
        }
    }

    /** A whole number of at least {@code min}. */
    public int integerAtLeast(Key key, int min) {
        int value = integer(key);
        if (value < min) {
            throw new ConfigException(key.name() + " must be >= " + min + ", was " + value);
        }
        return value;
    }

    /** A decimal number (a rate, not money) above zero. */
    public double positiveDecimal(Key key) {
        String value = get(key);
        try {
            double parsed = Double.parseDouble(value.strip());
            if (!(parsed > 0) || Double.isInfinite(parsed)) {
                throw new ConfigException(key.name() + " must be a number above 0, was '" + value + "'");
            }
            return parsed;
        } catch (NumberFormatException | NullPointerException e) {
            throw new ConfigException(key.name() + " must be a number above 0, was '" + value + "'");
        }
    }

    /** Every key not starting with {@code meterflow.}: the Kafka client settings. */
    public Properties kafkaProperties() {
        Properties kafka = new Properties();
        values.stringPropertyNames().stream()
                .filter(name -> !name.startsWith(OWN_PREFIX))
                .forEach(name -> kafka.setProperty(name, values.getProperty(name)));
        return kafka;
    }

    /** The keys, defaults and environment variables, for {@code --help}. */
    public static String describe(Collection<Key> keys) {
        StringBuilder help = new StringBuilder("%nConfiguration keys (key = default  [environment variable]):%n");
        for (Key key : keys) {
            help.append(String.format("  %s = %s  [%s]%n      %s%n", key.name(),
                    key.secret() ? "(secret, no default)" : key.defaultValue(), environmentName(key.name()),
                    key.description()));
        }
        help.append("  Any other Kafka client key x.y passes through, if Kafka's clients define it; environment "
                + "METERFLOW_KAFKA_X_Y.%n  An unknown key or METERFLOW_ variable stops start-up.%n");
        return help.toString();
    }

    private static Properties defaults(List<Key> keys) {
        Properties defaults = new Properties();
        keys.stream().filter(key -> key.defaultValue() != null)
                .forEach(key -> defaults.setProperty(key.name(), key.defaultValue()));
        return defaults;
    }

    /**
     * A documented configuration key.
     *
     * @param defaultValue {@code null} when the key has none and must be set
     * @param secret       never printed (an API key)
     */
    public record Key(String name, String defaultValue, String description, boolean secret) {

        public static Key of(String name, String defaultValue, String description) {
            return new Key(name, defaultValue, description, false);
        }

        public static Key secret(String name, String description) {
            return new Key(name, null, description, true);
        }

        boolean required() {
            return defaultValue == null && !secret;
        }
    }

    /** A configuration problem, with one line that names the key. */
    public static final class ConfigException extends RuntimeException {
        public ConfigException(String message) {
            super(message);
        }
    }
}
