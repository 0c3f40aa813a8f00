package dev.meterflow.local.topics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterflow.embedded.EmbeddedKafka;
import dev.meterflow.topics.Topics;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ProvisionTopicsIT {

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.start(null);
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    @Test
    void shouldCreateMissingTopicsThenFindNothingToDoAndReportDrift() throws Exception {
        try (Admin admin = kafka.admin()) {
            // an operator created usage-events by hand, with the wrong partition count and compacted
            admin.createTopics(List.of(new NewTopic(Topics.USAGE_EVENTS.name(), 2, (short) 1)
                    .configs(Map.of("cleanup.policy", "compact")))).all().get();
            ProvisionTopics provision = new ProvisionTopics(admin);

            ProvisionTopics.Report first = provision.apply(TopicDefinitions.all(3, (short) 1));
            ProvisionTopics.Report second = provision.apply(TopicDefinitions.all(3, (short) 1));

            assertThat(first.created()).hasSize(Topics.ALL.size() - 1).doesNotContain(Topics.USAGE_EVENTS.name());
            assertThat(second.created()).isEmpty();
            assertThat(second.drift()).contains("usage-events: 2 partitions, defined 3")
                    .anyMatch(line -> line.startsWith("account-keyed topics are not co-partitioned"))
                    .contains("usage-events: cleanup.policy=compact, defined delete");
            assertThat(second.unchanged()).contains(Topics.LEDGER_ENTRIES.name(), Topics.ACCOUNT_SETTINGS.name());
            assertThat(second.ok()).isFalse();
        }
    }
}
