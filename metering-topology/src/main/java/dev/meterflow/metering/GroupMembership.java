package dev.meterflow.metering;

import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.CloseOptions.GroupMembershipOperation;
import org.apache.kafka.streams.StreamsConfig;

/**
 * What a clean close does with the instance's group membership. A static member ({@code group.instance.id}) stays:
 * the group keeps its tasks for it until {@code session.timeout.ms}, so a restart within that time gets the same
 * tasks back and restores nothing; leaving would hand them to the others at once and back again after the restart
 * (two moves, each initialising the tasks elsewhere). A dynamic member leaves, so the others take its partitions
 * over at once instead of after the session timeout.
 */
final class GroupMembership {

    private GroupMembership() {
    }

    static GroupMembershipOperation onClose(Properties streamsProperties) {
        return isStatic(streamsProperties) ? GroupMembershipOperation.REMAIN_IN_GROUP
                : GroupMembershipOperation.LEAVE_GROUP;
    }

    /** Set plainly, or for the consumers only ({@code consumer.}, {@code main.consumer.}). */
    static boolean isStatic(Properties streamsProperties) {
        String key = ConsumerConfig.GROUP_INSTANCE_ID_CONFIG;
        return Stream.of(key, StreamsConfig.CONSUMER_PREFIX + key, StreamsConfig.MAIN_CONSUMER_PREFIX + key)
                .map(streamsProperties::getProperty)
                .anyMatch(value -> value != null && !value.isBlank());
    }
}
