package dev.meterflow.metering;

import static dev.meterflow.metering.MeteringTestBroker.STANDARD_PLAN;
import static dev.meterflow.metering.MeteringTestBroker.standardRateCard;
import static dev.meterflow.testdata.AccountSettingsBuilder.settingsFor;
import static dev.meterflow.testdata.UsageEventBuilder.aUsageEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meterflow.metering.config.MeteringConfig;
import dev.meterflow.metering.topology.StoreNames;
import dev.meterflow.schemas.AccountBalance;
import dev.meterflow.schemas.LedgerEntry;
import dev.meterflow.topics.Topic;
import dev.meterflow.topics.TopicReader;
import dev.meterflow.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, §2: an account's balance, its day's rollup and their changelogs are written once per commit, not once
 * per usage event; the ledger keeps one entry per event. Twenty events of one account, processed within one
 * transaction (a commit interval far longer than the test, and a clean close that commits), must leave one
 * balance, one rollup and one record on each of the account state and rollup changelogs, holding the totals of
 * all twenty, and one record on the dedup store's changelog holding the twenty ids.
 */
class OncePerCommitIT {

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private static final String APP = "once-per-commit-it";
    private static final String ACCOUNT = "a-busy";
    private static final int EVENTS = 20;

    @TempDir
    Path stateDir;

    private MeteringTestBroker broker;

    @BeforeEach
    void startBroker() {
        broker = MeteringTestBroker.start(1);
    }

    @AfterEach
    void stopBroker() {
        broker.close();
    }

    @Test
    void shouldWriteTheBalanceAndTheRollupOncePerCommitAndEveryLedgerEntry() {
        send(Topics.RATE_CARDS, STANDARD_PLAN, standardRateCard(T0));
        send(Topics.ACCOUNT_SETTINGS, ACCOUNT, settingsFor(ACCOUNT).onRatePlan(STANDARD_PLAN).withoutServiceAddress()
                .ofCustomer("cus_busy").billingEmails("billing@busy.example").whenBelow(0).at(T0).build());
        broker.flush();
        // first the settings alone, committed every 100 ms: the account opens with one balance record
        try (MeteringService metering = new MeteringService(config("100")).start()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> broker.values(Topics.ACCOUNT_BALANCES).size() == 1);
        }
        int balancesBefore = broker.values(Topics.ACCOUNT_BALANCES).size();
        int stateChangelogBefore = changelog(StoreNames.ACCOUNT_STATE).size();

        for (int i = 1; i <= EVENTS; i++) {
            send(Topics.USAGE_EVENTS, ACCOUNT, aUsageEvent().withEventId("e-" + i).forAccount(ACCOUNT).seconds(60)
                    .at(T0).build());
        }
        broker.flush();
        // then the usage, in one transaction: no commit falls due before the clean close commits it
        try (MeteringService metering = new MeteringService(config("300000")).start()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> processed(metering) >= EVENTS);
        }

        assertThat(broker.values(Topics.LEDGER_ENTRIES)).hasSize(EVENTS)
                .last().extracting(LedgerEntry::getBalanceAfterMicros).isEqualTo(-EVENTS * 25_000L);
        List<AccountBalance> balances = broker.values(Topics.ACCOUNT_BALANCES);
        assertThat(balances).hasSize(balancesBefore + 1);
        assertThat(balances.get(balances.size() - 1).getBalanceMicros()).isEqualTo(-EVENTS * 25_000L);
        assertThat(broker.values(Topics.USAGE_ROLLUPS)).singleElement().satisfies(rollup -> {
            assertThat(rollup.getEventCount()).isEqualTo(EVENTS);
            assertThat(rollup.getAmountMicros()).isEqualTo(EVENTS * 25_000L);
        });
        assertThat(changelog(StoreNames.ACCOUNT_STATE)).hasSize(stateChangelogBefore + 1);
        assertThat(changelog(StoreNames.USAGE_ROLLUPS)).hasSize(1);
        // the twenty ids marked debited in that transaction: one record, not twenty
        assertThat(changelog(StoreNames.DEDUP)).hasSize(1);
    }

    private MeteringConfig config(String commitIntervalMs) {
        Properties props = new Properties();
        props.setProperty("bootstrap.servers", broker.bootstrapServers());
        props.setProperty("application.id", APP);
        props.setProperty("state.dir", stateDir.toString());
        props.setProperty("commit.interval.ms", commitIntervalMs);
        // a transaction may stay open as long as the commit interval
        props.setProperty("producer.transaction.timeout.ms", "600000");
        return MeteringConfig.from(props);
    }

    /** Records the stream threads have processed, by their own counter. */
    private static double processed(MeteringService metering) {
        double total = 0;
        for (Map.Entry<MetricName, ? extends Metric> metric : metering.metrics().entrySet()) {
            if (metric.getKey().name().equals("process-total")
                    && metric.getKey().group().equals("stream-thread-metrics")) {
                total += ((Number) metric.getValue().metricValue()).doubleValue();
            }
        }
        return total;
    }

    private List<ConsumerRecord<byte[], byte[]>> changelog(String store) {
        return TopicReader.readCommitted(broker.bootstrapServers(), APP + "-" + store + "-changelog");
    }

    private <V> void send(Topic<String, V> topic, String key, V value) {
        broker.send(topic, key, value, T0);
    }
}
