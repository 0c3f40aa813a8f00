package dev.meterflow.local.topics;

import dev.meterflow.local.topics.TopicDefinitions.TopicDefinition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the topics that are missing and checks the ones that exist against their definitions. Idempotent:
 * running it again creates nothing and reports the same drift. Drift is reported, never "fixed" (changing
 * the partitions of a keyed topic would move accounts between partitions).
 */
public final class ProvisionTopics {

    private static final Duration LISTED_WITHIN = Duration.ofSeconds(30);
    private static final Duration LIST_POLL = Duration.ofMillis(100);

    private final Admin admin;

    public ProvisionTopics(Admin admin) {
        this.admin = admin;
    }

    /** What provisioning did and found. */
    public record Report(List<String> created, List<String> unchanged, List<String> drift) {
        public boolean ok() {
            return drift.isEmpty();
        }
    }

    public Report apply(Collection<TopicDefinition> definitions) throws InterruptedException {
        try {
            // the listing comes from one broker's metadata, which can lag behind topics created a moment ago:
            // the controller's TopicExistsException is the last word, and such a topic is checked, not created
            Set<String> listed = admin.listTopics().names().get();
            Set<String> existing = new HashSet<>(listed);
            List<String> created = new ArrayList<>();
            for (TopicDefinition definition : definitions) {
                if (!existing.contains(definition.name())) {
                    if (create(definition)) {
                        created.add(definition.name());
                    } else {
                        existing.add(definition.name());
                    }
                }
            }
            Set<String> notListedYet = new HashSet<>(existing);
            notListedYet.addAll(created);
            notListedYet.removeAll(listed);
            awaitListed(notListedYet);
            List<TopicDefinition> toCheck = definitions.stream()
                    .filter(definition -> existing.contains(definition.name())).toList();
            List<String> drift = drift(toCheck);
            List<String> unchanged = toCheck.stream().map(TopicDefinition::name)
                    .filter(name -> drift.stream().noneMatch(line -> line.startsWith(name + ":"))).toList();
            drift.addAll(coPartitioning(definitions, existing));
            return new Report(created, unchanged, drift);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot provision topics: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /**
     * Until the broker lists these topics: describing one it does not know yet fails, and a caller that starts an
     * app right after provisioning needs them known.
     */
    private void awaitListed(Set<String> topics) throws InterruptedException, ExecutionException {
        long deadline = System.nanoTime() + LISTED_WITHIN.toNanos();
        Set<String> missing = new HashSet<>(topics);
        while (!missing.isEmpty()) {
            missing.removeAll(admin.listTopics().names().get());
            if (!missing.isEmpty() && System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("cannot provision topics: created, but not listed by the broker "
                        + "within " + LISTED_WITHIN + ": " + new java.util.TreeSet<>(missing));
            }
            if (!missing.isEmpty()) {
                Thread.sleep(LIST_POLL.toMillis());
            }
        }
    }

    /** Whether it created the topic; false when it already existed. */
    private boolean create(TopicDefinition definition) throws InterruptedException, ExecutionException {
        try {
            admin.createTopics(List.of(new NewTopic(definition.name(), definition.partitions(),
                    definition.replication()).configs(definition.configs()))).all().get();
            return true;
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
            return false;
        }
    }

    private List<String> drift(List<TopicDefinition> definitions) throws InterruptedException, ExecutionException {
        List<String> drift = new ArrayList<>();
        if (definitions.isEmpty()) {
            return drift;
        }
        Map<String, TopicDescription> described = admin.describeTopics(
                definitions.stream().map(TopicDefinition::name).toList()).allTopicNames().get();
        Map<ConfigResource, Config> configs = admin.describeConfigs(definitions.stream()
                .map(d -> new ConfigResource(ConfigResource.Type.TOPIC, d.name())).toList()).all().get();
        for (TopicDefinition definition : definitions) {
            TopicDescription description = described.get(definition.name());
            int partitions = description.partitions().size();
            if (partitions != definition.partitions()) {
                drift.add(definition.name() + ": " + partitions + " partitions, defined " + definition.partitions());
            }
            int replication = description.partitions().get(0).replicas().size();
            if (definition.replication() > 0 && replication != definition.replication()) {
                drift.add(definition.name() + ": replication " + replication + ", defined " + definition.replication());
            }
            Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, definition.name()));
            definition.configs().forEach((key, expected) -> {
                ConfigEntry entry = config.get(key);
                String actual = entry == null ? null : entry.value();
                if (!expected.equals(actual)) {
                    drift.add(definition.name() + ": " + key + "=" + actual + ", defined " + expected);
                }
            });
        }
        return drift;
    }

    /**
     * Every account-keyed topic must have the same partition count, or the metering topology cannot start. A topic
     * created just now has its defined count (and describing it at once can fail: the broker may not know it yet).
     */
    private List<String> coPartitioning(Collection<TopicDefinition> definitions, Set<String> existing)
            throws InterruptedException, ExecutionException {
        List<TopicDefinition> keyed = definitions.stream().filter(TopicDefinition::keyedByAccount).toList();
        List<String> described = keyed.stream().map(TopicDefinition::name).filter(existing::contains).toList();
        Map<String, Integer> counts = new java.util.HashMap<>();
        admin.describeTopics(described).allTopicNames().get()
                .forEach((name, description) -> counts.put(name, description.partitions().size()));
        keyed.stream().filter(definition -> !existing.contains(definition.name()))
                .forEach(definition -> counts.put(definition.name(), definition.partitions()));
        Set<Integer> distinct = Set.copyOf(counts.values());
        if (distinct.size() <= 1) {
            return List.of();
        }
        return List.of("account-keyed topics are not co-partitioned: " + new java.util.TreeMap<>(counts));
    }
}
