package dev.meterflow.local.stack;

import dev.meterflow.topics.Topic;
import dev.meterflow.topics.Topics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * The demo against an existing cluster must never touch a real pipeline's data: its metering app would
 * reprocess every input from the start into the shared outputs (ledger entries twice, request ids reused,
 * charges at its own simulator). So it runs only where Meterflow's topics are absent or empty.
 */
final class ExistingData {

    private ExistingData() {
    }

    /** The refusal, naming the topics that hold records, or empty when there are none. */
    static Optional<String> refusal(String bootstrapServers, Map<String, Long> recordsByTopic) {
        Map<String, Long> holding = new TreeMap<>();
        recordsByTopic.forEach((topic, records) -> {
            if (records > 0) {
                holding.put(topic, records);
            }
        });
        if (holding.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("refusing to run against " + bootstrapServers + ": Meterflow's topics already hold data "
                + holding + " (records per topic), and the demo would bill into them; use an empty cluster, or "
                + "leave out --bootstrap-servers to run on the embedded broker");
    }

    /** Records (latest minus earliest offset) in every Meterflow topic the cluster has. */
    static Map<String, Long> records(Admin admin) throws InterruptedException {
        try {
            Set<String> existing = admin.listTopics().names().get();
            List<String> ours = Topics.ALL.stream().map(Topic::name).filter(existing::contains).toList();
            if (ours.isEmpty()) {
                return Map.of();
            }
            List<TopicPartition> partitions = admin.describeTopics(ours).allTopicNames().get().values().stream()
                    .flatMap(topic -> topic.partitions().stream()
                            .map(partition -> new TopicPartition(topic.name(), partition.partition())))
                    .toList();
            Map<TopicPartition, ListOffsetsResultInfo> earliest = offsets(admin, partitions, OffsetSpec.earliest());
            Map<TopicPartition, ListOffsetsResultInfo> latest = offsets(admin, partitions, OffsetSpec.latest());
            Map<String, Long> records = new HashMap<>();
            partitions.forEach(partition -> records.merge(partition.topic(),
                    latest.get(partition).offset() - earliest.get(partition).offset(), Long::sum));
            return records;
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read the cluster's topics: " + e.getCause().getMessage(),
                    e.getCause());
        }
    }

    private static Map<TopicPartition, ListOffsetsResultInfo> offsets(Admin admin, List<TopicPartition> partitions,
                                                                      OffsetSpec spec)
            throws InterruptedException, ExecutionException {
        Map<TopicPartition, OffsetSpec> request = partitions.stream()
                .collect(Collectors.toMap(Function.identity(), partition -> spec));
        return admin.listOffsets(request).all().get();
    }
}
