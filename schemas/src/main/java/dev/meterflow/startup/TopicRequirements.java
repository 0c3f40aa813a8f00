package dev.meterflow.startup;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** What an app needs of the cluster's topics before it starts, as pure checks over what the cluster has. */
public final class TopicRequirements {

    /** Where the operator creates topics and learns what drifted. */
    public static final String PROVISION_HINT = "create them with: meterflow provision-topics --bootstrap-servers "
            + "HOST:PORT --partitions N";

    private TopicRequirements() {
    }

    /** Every topic the app needs that the cluster does not have, all named at once. */
    public static Optional<String> missing(Collection<String> needed, Set<String> existing) {
        Set<String> missing = new TreeSet<>(needed);
        missing.removeAll(existing);
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("missing topics: " + String.join(", ", missing) + "; " + PROVISION_HINT);
    }

    /**
     * Topics read by one task must have the same partition count, or one account's records land in different
     * tasks (its usage parked {@code NO_SETTINGS} although it has settings). Kafka Streams checks this only for
     * joins, so a processor reading several topics must check it itself.
     *
     * @param partitions partition count per topic
     * @param groups     sets of topics read together
     */
    public static Optional<String> coPartitioning(Map<String, Integer> partitions, Collection<Set<String>> groups) {
        List<String> problems = groups.stream().map(group -> {
            Map<String, Integer> counts = new TreeMap<>();
            group.forEach(topic -> counts.put(topic, partitions.get(topic)));
            return counts;
        }).filter(counts -> Set.copyOf(counts.values()).size() > 1).map(Map::toString).toList();
        if (problems.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("topics read together must have the same partition count, but have "
                + String.join(" and ", problems) + " (partitions per topic); keyed records of one account would be "
                + "split between tasks. Re-create them with equal counts (meterflow provision-topics reports this "
                + "as drift)");
    }
}
