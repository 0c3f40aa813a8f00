package dev.meterflow.metering.health;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/**
 * The topics the metering application writes, out of the cluster's: its topology's sinks (outputs and
 * repartition topics), its internal topics (changelogs, repartition topics: named after the application id) and its
 * dead letter queue. An orphaned transaction can be open on any of them.
 */
public record WrittenTopics(String applicationId, Set<String> sinkTopics, String deadLetterTopic) {

    public Set<String> of(Collection<String> clusterTopics) {
        Set<String> written = new TreeSet<>();
        for (String topic : clusterTopics) {
            if (sinkTopics.contains(topic) || topic.equals(deadLetterTopic)
                    || topic.startsWith(applicationId + "-")) {
                written.add(topic);
            }
        }
        return written;
    }
}
