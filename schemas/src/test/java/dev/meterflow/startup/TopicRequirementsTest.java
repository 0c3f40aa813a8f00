package dev.meterflow.startup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TopicRequirementsTest {

    @Test
    void shouldNameEveryMissingTopicAndPointAtProvisioning() {
        assertThat(TopicRequirements.missing(List.of("usage-events", "ledger-entries", "rate-cards"),
                Set.of("rate-cards")))
                .hasValueSatisfying(problem -> assertThat(problem)
                        .startsWith("missing topics: ledger-entries, usage-events; ")
                        .contains("meterflow provision-topics"));
        assertThat(TopicRequirements.missing(List.of("rate-cards"), Set.of("rate-cards", "other"))).isEmpty();
    }

    /** Issue 16, found item 4: usage-events at 4 partitions and account-settings at 2 started and ran. */
    @Test
    void shouldRefuseTopicsReadTogetherWithDifferentPartitionCounts() {
        Map<String, Integer> partitions = Map.of("usage-events", 4, "account-settings", 2, "payment-results", 4);

        assertThat(TopicRequirements.coPartitioning(partitions,
                List.of(Set.of("usage-events", "account-settings", "payment-results"))))
                .hasValueSatisfying(problem -> assertThat(problem)
                        .contains("{account-settings=2, payment-results=4, usage-events=4}"));
        assertThat(TopicRequirements.coPartitioning(Map.of("usage-events", 4, "account-settings", 4),
                List.of(Set.of("usage-events", "account-settings")))).isEmpty();
    }
}
