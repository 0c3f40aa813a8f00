package dev.meterflow.local;

import static dev.meterflow.local.LiveRecords.settingsFor;
import static dev.meterflow.testdata.TestData.LOCAL_MINUTE_PRICE;
import static dev.meterflow.testdata.TestData.PRO_PLAN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meterflow.local.EndToEndCluster.LocalMinutes;
import dev.meterflow.metering.MeteringService;
import dev.meterflow.schemas.UsageEvent;
import dev.meterflow.testdata.HangingTransactionBlocker;
import dev.meterflow.testdata.HangingTransactionBlocker.Hanging;
import dev.meterflow.testdata.RateCardBuilder;
import dev.meterflow.topics.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * KAFKA-20734: after an unclean broker restart Kafka 4.4.0's coordinator completed a metering transaction without
 * writing its markers; its records stayed open on every partition it wrote until the producer id's next marker
 * there, and a later commit on {@code ledger-entries-1} debited 48 events twice. Here one producer id and epoch of
 * the application leaves a transaction open on every {@code ledger-entries} partition, a changelog partition and
 * the group's offsets partition, its coordinator holding nothing open: the guard of the running instance aborts
 * it everywhere, and every event is debited once.
 */
class OrphanedTransactionIT {

    private static final String APPLICATION_ID = "meterflow-e2e-orphan";
    private static final Duration WAIT = Duration.ofMinutes(3);
    private static final List<String> ACCOUNTS = List.of("acct-orph-a", "acct-orph-b", "acct-orph-c",
            "acct-orph-d", "acct-orph-e", "acct-orph-f");
    private static final Instant OCCURRED_AT = Instant.parse("2026-11-30T03:58:00Z");
    private static final LocalMinutes USAGE = EndToEndCluster.localMinutes("orph-%03d", ACCOUNTS, OCCURRED_AT);

    @TempDir
    static Path workDir;

    @RegisterExtension
    static final EndToEndCluster cluster = EndToEndCluster.perClass();
    private static MeteringService metering;

    @BeforeAll
    static void startBroker() {
        cluster.publish(Topics.RATE_CARDS, PRO_PLAN, RateCardBuilder.aRateCard().build());
        ACCOUNTS.forEach(account ->
                cluster.publish(Topics.ACCOUNT_SETTINGS, account, settingsFor(account).autoRechargeOff().build()));
    }

    @AfterAll
    static void stop() {
        if (metering != null) {
            metering.close();
        }
    }

    @Test
    void shouldAbortAnOrphanedTransactionOnEveryPartitionWhileThePipelineRuns() throws Exception {
        // given a running instance that has debited usage
        List<UsageEvent> events = new ArrayList<>(USAGE.events(0, 30));
        metering = cluster.startMetering(settings());
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        metering.bindTo(registry);
        cluster.sendUsage(events);
        await().atMost(WAIT).untilAsserted(() -> assertThat(cluster.debitedUsageEventIds()).hasSize(events.size()));

        // when one of the application's producer ids leaves a transaction its coordinator no longer has open on the
        // ledger, a changelog and its group's offsets partition
        List<TopicPartition> outputs = new ArrayList<>(cluster.endOffsets(Topics.LEDGER_ENTRIES.name(),
                IsolationLevel.READ_UNCOMMITTED).keySet());
        TopicPartition changelog = new TopicPartition(APPLICATION_ID + "-account-state-store-changelog", 0);
        outputs.add(changelog);
        TopicPartition input = new TopicPartition(Topics.USAGE_EVENTS.name(), 0);
        long committed = cluster.committedOffsets(APPLICATION_ID, input.topic()).getOrDefault(input, 0L);
        Hanging orphan = HangingTransactionBlocker.orphanOn(cluster.bootstrapServers(), APPLICATION_ID + "-orphan-it",
                outputs, APPLICATION_ID, input, committed);

        // and more usage arrives behind it
        List<UsageEvent> later = USAGE.events(30, 60);
        cluster.sendUsage(later);
        events.addAll(later);

        // then the guard aborts it on every partition, and every event is debited once, the orphan's records never
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(cluster.openTransactionLag(Topics.LEDGER_ENTRIES.name())).allSatisfy((partition, lag) ->
                    assertThat(lag).as("open transaction lag of %s", partition).isZero());
            assertThat(cluster.openTransactionLag(changelog.topic())).containsEntry(changelog, 0L);
            assertThat(cluster.debitedUsageEventIds()).containsExactlyInAnyOrderElementsOf(
                    events.stream().map(UsageEvent::getEventId).toList());
        });
        assertThat(registry.get("meterflow.metering.orphaned.transactions.aborted").functionCounter().count())
                .as("orphans of producerId=%s aborted", orphan.producerId()).isEqualTo(1.0);
        assertThat(registry.get("meterflow.metering.orphaned.transactions.left").gauge().value()).isZero();
        assertThat(cluster.committedOffsets(APPLICATION_ID, input.topic()).getOrDefault(input, 0L))
                .isGreaterThanOrEqualTo(committed);
        for (String account : ACCOUNTS) {
            long debits = events.stream().filter(event -> event.getAccountId().equals(account)).count();
            assertThat(cluster.latest(Topics.ACCOUNT_BALANCES, account).orElseThrow().getBalanceMicros())
                    .as("balance of %s", account).isEqualTo(-debits * LOCAL_MINUTE_PRICE);
        }
    }

    private static Properties settings() {
        Properties settings = cluster.meteringProperties(APPLICATION_ID, workDir.resolve("state"));
        settings.setProperty("meterflow.orphaned-transactions.check-interval", "PT1S");
        return settings;
    }
}
