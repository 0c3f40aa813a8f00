package dev.meterflow.config;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The Kafka client keys an app accepts: the names its clients define, and prefixes under which another
 * client's (or a topic's) keys may follow. A misspelt Kafka key would otherwise reach the clients, which
 * only log it as unused, and the setting would silently not apply.
 *
 * @param names    every plain key
 * @param prefixes prefix → the keys allowed after it; an empty set allows any (topic configs, config providers)
 */
public record KafkaKeys(Set<String> names, Map<String, Set<String>> prefixes) {

    /** {@code config.providers.<name>.class} and {@code .param.*}: named by the operator, so any suffix. */
    public static final String CONFIG_PROVIDERS_PREFIX = "config.providers.";

    public KafkaKeys {
        names = Set.copyOf(names);
        prefixes = Map.copyOf(prefixes);
    }

    /** The keys of Kafka's plain clients (consumer, producer, admin), as the recharge worker and the tools use them. */
    public static KafkaKeys clients() {
        return new KafkaKeys(clientNames(), Map.of(CONFIG_PROVIDERS_PREFIX, Set.of()));
    }

    /** Every key the consumer, producer and admin client define. */
    public static Set<String> clientNames() {
        Set<String> names = new TreeSet<>(ConsumerConfig.configDef().names());
        names.addAll(ProducerConfig.configDef().names());
        names.addAll(AdminClientConfig.configDef().names());
        return names;
    }

    public boolean known(String key) {
        if (names.contains(key)) {
            return true;
        }
        return prefixes.entrySet().stream().anyMatch(prefix -> {
            String rest = key.startsWith(prefix.getKey()) ? key.substring(prefix.getKey().length()) : "";
            return !rest.isEmpty() && (prefix.getValue().isEmpty() || prefix.getValue().contains(rest));
        });
    }

    /** The known key nearest to {@code key}, if one is near enough to be what was meant. */
    public Optional<String> nearest(String key, Collection<String> alsoKnown) {
        List<String> candidates = new java.util.ArrayList<>(names);
        candidates.addAll(alsoKnown);
        prefixes.forEach((prefix, allowed) -> {
            if (key.startsWith(prefix)) {
                allowed.forEach(name -> candidates.add(prefix + name));
            }
        });
        return EditDistance.nearest(key, candidates);
    }
}
