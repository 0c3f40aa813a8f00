package dev.meterflow.metering;

import dev.meterflow.config.AppConfig.ConfigException;
import dev.meterflow.metering.config.MeteringConfig;
import dev.meterflow.metering.topology.MeteringTopology;
import dev.meterflow.startup.KafkaStartupChecks;
import dev.meterflow.startup.ShutdownSignal;
import dev.meterflow.topics.Topics;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyDescription;

/**
 * What the metering app checks before it starts Kafka Streams: its client settings as Kafka validates them,
 * the cluster answering, every topic of the topology there, and the topics one task reads co-partitioned.
 */
final class MeteringStartup {

    private MeteringStartup() {
    }

    /** {@code true} once everything holds; {@code false} if SIGTERM came first; a {@link ConfigException} if not. */
    static boolean clusterReady(MeteringConfig config, ShutdownSignal signal) throws InterruptedException {
        StreamsConfig streams = streamsConfig(config);
        TopologyDescription topology = MeteringTopology.build(config).describe();
        try (KafkaStartupChecks checks = KafkaStartupChecks.open(streams.getAdminConfigs("meterflow-startup"))) {
            if (!checks.awaitCluster(signal)) {
                return false;
            }
            checks.requireTopics(neededTopics(topology), readTogether(topology));
            return true;
        }
    }

    static StreamsConfig streamsConfig(MeteringConfig config) {
        try {
            return new StreamsConfig(config.streamsProperties());
        } catch (org.apache.kafka.common.config.ConfigException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    /**
     * Every topic the topology reads or writes, its dead letter queue included; not its internal topics, which
     * Kafka Streams creates itself.
     */
    static Set<String> neededTopics(TopologyDescription topology) {
        Set<String> topics = new TreeSet<>();
        topology.subtopologies().forEach(sub -> sub.nodes().forEach(node -> {
            if (node instanceof TopologyDescription.Source source) {
                topics.addAll(source.topicSet());
            } else if (node instanceof TopologyDescription.Sink sink && sink.topic() != null) {
                topics.add(sink.topic());
            }
        }));
        topology.globalStores().forEach(store -> topics.addAll(store.source().topicSet()));
        topics.add(Topics.METERING_DLQ.name());
        topics.removeIf(MeteringStartup::internal);
        return topics;
    }

    /** An internal topic, as the description names it (with or without the application id in front). */
    private static boolean internal(String topic) {
        return MeteringTopology.INTERNAL_TOPICS.stream()
                .anyMatch(name -> topic.equals(name) || topic.endsWith("-" + name));
    }

    /**
     * The source topics of each sub-topology that reads more than one: its tasks need them co-partitioned (an
     * internal topic is created with their partition count by Kafka Streams itself).
     */
    static List<Set<String>> readTogether(TopologyDescription topology) {
        return topology.subtopologies().stream()
                .map(sub -> sub.nodes().stream()
                        .filter(TopologyDescription.Source.class::isInstance)
                        .map(node -> ((TopologyDescription.Source) node).topicSet())
                        .filter(Objects::nonNull)
                        .flatMap(Set::stream)
                        .filter(topic -> !internal(topic))
                        .collect(Collectors.toCollection(TreeSet::new)))
                .filter(sources -> sources.size() > 1)
                .map(sources -> (Set<String>) sources)
                .toList();
    }
}
