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
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17: a hanging transaction on a changelog (one its coordinator no longer has, which a broker SIGKILLed
 * mid-transaction left behind) held a restore for good, through every restart. The stall watchdog now finds it
 * hanging, aborts it, and the restarted instance restores and bills without an operator.
 */
class HangingTransactionIT {

    private static final String APPLICATION_ID = "meterflow-e2e-hanging";
    private static final Duration WAIT = Duration.ofMinutes(3);
    /**
     * The restore held by the hanging transaction is found stuck after this; long enough for a first rebalance on a
     * loaded machine (10 s once fired before the restore began, so nothing was aborted).
     */
    private static final Duration STUCK = Duration.ofSeconds(30);
    /** The instances that must not be stopped keep the shipped timeout: a slow rebalance under load is no stall. */
    private static final Duration UNSTUCK = Duration.ofMinutes(5);
    private static final List<String> ACCOUNTS = List.of("acct-hang-a", "acct-hang-b", "acct-hang-c");
    private static final Instant OCCURRED_AT = Instant.parse("2026-11-29T19:00:00Z");
    private static final LocalMinutes USAGE = EndToEndCluster.localMinutes("hang-%03d", ACCOUNTS, OCCURRED_AT);

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
    void shouldAbortAHangingChangelogTransactionAndRecoverWithoutAnOperator() throws Exception {
        // given an instance that billed usage into its stores, then stopped
        List<UsageEvent> events = new ArrayList<>(USAGE.events(0, 30));
        metering = cluster.startMetering(settings("first", UNSTUCK));
        cluster.sendUsage(events);
        await().atMost(WAIT).untilAsserted(() -> assertThat(cluster.debitedUsageEventIds()).hasSize(events.size()));
        metering.close();

        // and a hanging transaction on partition 0 of the account state changelog, last written an hour ago
        TopicPartition changelog = new TopicPartition(APPLICATION_ID + "-account-state-store-changelog", 0);
        Hanging hanging = HangingTransactionBlocker.hangOn(cluster.bootstrapServers(), changelog,
                Instant.now().minus(Duration.ofHours(1)));
        assertThat(cluster.openTransactionLag(changelog.topic())).containsEntry(changelog, 1L);

        // when a new instance restores its stores from the changelogs (an empty state directory)
        metering = cluster.startMetering(settings("second", STUCK));

        // then its watchdog finds the restore stuck, aborts the hanging transaction and stops to be restarted
        assertThat(metering.awaitStopped(WAIT)).as("stopped by its watchdog").isTrue();
        assertThat(metering.stoppedStuck()).isTrue();
        assertThat(metering.readiness().stuckReason()).hasValueSatisfying(reason -> assertThat(reason)
                .contains("task=1_0", "store='account-state-store'")
                .contains("aborted partition=" + changelog + " producerId=" + hanging.producerId() + " epoch="
                        + hanging.producerEpoch())
                .contains("its coordinator has no transaction of the producer id on this partition"));
        assertThat(cluster.openTransactionLag(changelog.topic())).containsEntry(changelog, 0L);

        // when its supervisor restarts it, with more usage sent meanwhile
        List<UsageEvent> later = USAGE.events(30, 45);
        cluster.sendUsage(later);
        events.addAll(later);
        metering = cluster.startMetering(settings("second", UNSTUCK));

        // then it restores, runs and debits every event once
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(metering.readiness().ready()).isTrue();
            assertThat(cluster.debitedUsageEventIds()).containsExactlyInAnyOrderElementsOf(
                    events.stream().map(UsageEvent::getEventId).toList());
        });
        for (String account : ACCOUNTS) {
            long debits = events.stream().filter(event -> event.getAccountId().equals(account)).count();
            assertThat(cluster.latest(Topics.ACCOUNT_BALANCES, account).orElseThrow().getBalanceMicros())
                    .as("balance of %s", account).isEqualTo(-debits * LOCAL_MINUTE_PRICE);
        }
    }

    private static Properties settings(String stateDir, Duration stallTimeout) {
        Properties settings = cluster.meteringProperties(APPLICATION_ID, workDir.resolve(stateDir));
        settings.setProperty("meterflow.stall-timeout", stallTimeout.toString());
        settings.setProperty("meterflow.shutdown-timeout", "PT10S");
        return settings;
    }
}
