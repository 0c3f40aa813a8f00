package dev.meterflow.metering.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** KAFKA-20734: the guard looks at every partition metering writes, and at its group's offsets partition. */
class OrphanedTransactionGuardTest {

    @Test
    void shouldTakeTheSinksTheInternalTopicsAndTheDeadLetterQueueOnly() {
        WrittenTopics written = new WrittenTopics("metering-topology", Set.of("ledger-entries", "recharge-requests"),
                "metering-dlq");

        assertThat(written.of(List.of("ledger-entries", "recharge-requests", "metering-dlq", "usage-events",
                "payment-results", "metering-topology-account-state-store-changelog",
                "metering-topology-priced-usage-repartition", "recharge-attempts")))
                .containsExactly("ledger-entries", "metering-dlq", "metering-topology-account-state-store-changelog",
                        "metering-topology-priced-usage-repartition", "recharge-requests");
    }

    @Test
    void shouldFindTheGroupsOffsetsPartitionAsTheGroupCoordinatorDoes() {
        // Utils.abs(groupId.hashCode()) % offsets.topic.num.partitions
        assertThat(OrphanedTransactionGuard.offsetsPartitionOf("meterflow-e2e-orphan", 4))
                .isEqualTo(Math.abs("meterflow-e2e-orphan".hashCode()) % 4).isEqualTo(1);
        assertThat(OrphanedTransactionGuard.offsetsPartitionOf("metering-topology", 50))
                .isEqualTo(Math.abs("metering-topology".hashCode()) % 50);
    }
}
