package dev.meterflow.local;

import static dev.meterflow.local.LiveRecords.settingsFor;
import static dev.meterflow.testdata.TestData.CALLER_ID_LOOKUP;
import static dev.meterflow.testdata.TestData.CALLER_ID_LOOKUP_PRICE;
import static dev.meterflow.testdata.TestData.LOCAL_MINUTES;
import static dev.meterflow.testdata.TestData.LOCAL_MINUTE_PRICE;
import static dev.meterflow.testdata.TestData.PER_ITEM;
import static dev.meterflow.testdata.TestData.PER_MINUTE;
import static dev.meterflow.testdata.TestData.PRO_PLAN;
import static dev.meterflow.testdata.TestData.TOLLFREE_MINUTES;
import static dev.meterflow.testdata.TestData.TOLLFREE_MINUTE_PRICE;
import static dev.meterflow.testdata.TestData.TRANSCRIPTION_MINUTES;
import static dev.meterflow.testdata.TestData.TRANSCRIPTION_MINUTE_PRICE;
import static dev.meterflow.local.LiveRecords.aUsageEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meterflow.local.faults.ChildJvm;
import dev.meterflow.metering.MeteringApp;
import dev.meterflow.metering.MeteringService;
import dev.meterflow.schemas.AccountStatus;
import dev.meterflow.schemas.AccountStatusChanged;
import dev.meterflow.schemas.LedgerEntry;
import dev.meterflow.schemas.LedgerEntryKind;
import dev.meterflow.schemas.UsageEvent;
import dev.meterflow.schemas.UsageRollup;
import dev.meterflow.testdata.RateCardBuilder;
import dev.meterflow.topics.Topics;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exactly-once across a crash: the metering app is killed (SIGKILL) in the middle of a transaction while usage
 * flows, more usage arrives while it is down, and it is restarted with the same application id and state
 * directory. Whatever the crash interrupted, the committed outputs must be what the input alone says: every
 * distinct eventId debited exactly once, balances the sum of the priced usage, one pause per account.
 */
class MeteringCrashRecoveryIT {

    private static final Logger log = LoggerFactory.getLogger(MeteringCrashRecoveryIT.class);

    private static final String APPLICATION_ID = "meterflow-e2e-crash";
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final List<String> ACCOUNTS =
            List.of("acct-crash-a", "acct-crash-b", "acct-crash-c", "acct-crash-d", "acct-crash-e");
    private static final int DISTINCT_EVENTS = 300;
    private static final int DUPLICATE_PERCENT = 15;
    /** Every event happened on one UTC day, so the expected daily rollups follow from the input alone. */
    private static final Instant OCCURRED_AT = Instant.parse("2026-11-25T15:30:00Z");
    /** The rate card's prices, restated here so the expected amounts do not come from the code under test. */
    private static final Map<String, UnitPrice> PRICES = Map.of(
            LOCAL_MINUTES, new UnitPrice(LOCAL_MINUTE_PRICE, PER_MINUTE),
            TOLLFREE_MINUTES, new UnitPrice(TOLLFREE_MINUTE_PRICE, PER_MINUTE),
            TRANSCRIPTION_MINUTES, new UnitPrice(TRANSCRIPTION_MINUTE_PRICE, PER_MINUTE),
            CALLER_ID_LOOKUP, new UnitPrice(CALLER_ID_LOOKUP_PRICE, PER_ITEM));
    private static final List<String> SKUS = List.copyOf(new TreeSet<>(PRICES.keySet()));

    @TempDir
    static Path stateDir;
    @TempDir
    static Path workDir;

    @RegisterExtension
    static final EndToEndCluster cluster = EndToEndCluster.perClass();
    private static ChildJvm crashing;
    private static MeteringService restarted;

    @BeforeAll
    static void startBroker() {
        cluster.publish(Topics.RATE_CARDS, PRO_PLAN, RateCardBuilder.aRateCard().build());
        for (String account : ACCOUNTS) {
            cluster.publish(Topics.ACCOUNT_SETTINGS, account, settingsFor(account).autoRechargeOff().build());
        }
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (crashing != null) {
            crashing.kill();
        }
        if (restarted != null) {
            restarted.close();
        }
    }

    @Test
    void shouldDebitEveryEventExactlyOnceWhenTheMeteringAppIsKilledMidTransactionAndRestarted() throws Exception {
        // given usage with re-delivered duplicates, in three parts
        List<UsageEvent> distinct = distinctEvents();
        List<UsageEvent> delivered = withDuplicates(distinct);
        int third = delivered.size() / 3;
        List<UsageEvent> beforeCrash = delivered.subList(0, third);
        List<UsageEvent> duringCrash = delivered.subList(third, 2 * third);
        List<UsageEvent> whileDown = delivered.subList(2 * third, delivered.size());

        // and the metering app in its own JVM, committing every 2 s so that a kill lands inside a transaction
        crashing = new ChildJvm("metering-crash", MeteringApp.class.getName(),
                List.of("--config", writeConfig(meteringSettings("2000")).toString()), Map.of(),
                Path.of("target", "metering-crash-child.log"), "256m");
        crashing.start();
        await().atMost(WAIT).untilAsserted(() -> {
            crashing.assertAlive();
            assertThat(ACCOUNTS).allSatisfy(account ->
                    assertThat(cluster.latest(Topics.ACCOUNT_BALANCES, account)).isPresent());
        });
        sendAll(beforeCrash);
        await().atMost(WAIT).untilAsserted(() -> {
            crashing.assertAlive();
            assertThat(committedUsageEntries()).isNotEmpty();
        });

        // when more usage is being processed, the process is killed (SIGKILL) while a transaction is open
        sendAll(duringCrash);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(10)).until(MeteringCrashRecoveryIT::frozenInsideATransaction);
        crashing.kill();
        Map<TopicPartition, Long> leftOpen = cluster.openTransactionLag(Topics.LEDGER_ENTRIES.name());
        int committedAtCrash = committedUsageEntries().size();
        log.info("metering child pid={} killed; ledger entries of its open transaction={} committed usage "
                + "entries={} of {} distinct events", crashing.pid(), leftOpen, committedAtCrash, distinct.size());
        assertThat(leftOpen.values()).as("ledger entries of the transaction open at the kill").anyMatch(lag -> lag > 0);

        // and usage keeps arriving while it is down, then it is restarted with the same id and state directory
        sendAll(whileDown);
        restarted = cluster.startMetering(meteringSettings("100"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(cluster.committedOffsets(APPLICATION_ID,
                Topics.USAGE_EVENTS.name())).isEqualTo(cluster.endOffsets(Topics.USAGE_EVENTS.name(),
                IsolationLevel.READ_UNCOMMITTED)));

        // then every distinct eventId is debited exactly once
        Map<String, Long> expectedBalances = expectedBalances(distinct);
        List<LedgerEntry> entries = committedUsageEntries();
        assertThat(entries).extracting(LedgerEntry::getSourceId).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(distinct.stream().map(UsageEvent::getEventId).toList());
        assertThat(entries).allSatisfy(entry -> assertThat(entry.getEntryId()).isEqualTo("usage:" + entry.getSourceId()));
        for (String account : ACCOUNTS) {
            List<LedgerEntry> ofAccount = entries.stream().filter(entry -> entry.getAccountId().equals(account)).toList();
            // and each entry's balance is the running sum, ending at minus the account's priced usage
            long running = 0;
            for (LedgerEntry entry : ofAccount) {
                running += entry.getAmountMicros();
                assertThat(entry.getBalanceAfterMicros()).as("balance after %s", entry.getEntryId()).isEqualTo(running);
            }
            assertThat(running).as("ledger sum of %s", account).isEqualTo(expectedBalances.get(account));
            assertThat(cluster.latest(Topics.ACCOUNT_BALANCES, account).orElseThrow().getBalanceMicros())
                    .as("balance of %s", account).isEqualTo(expectedBalances.get(account));
            // and the account was paused once, whatever the crash replayed
            assertThat(cluster.values(Topics.ACCOUNT_STATUS, account)).as("status changes of %s", account)
                    .extracting(AccountStatusChanged::getStatus).containsExactly(AccountStatus.PAUSED);
        }
        // and the daily rollups, restored from their changelog, count each event once
        assertThat(latestRollups()).isEqualTo(expectedRollups(distinct));
        // and the killed instance's uncommitted output is in the log but was never seen by read_committed readers
        assertThat(abortedUsageEntryIds()).as("entries written by the killed transaction, then aborted").isNotEmpty();
    }

    /**
     * Freezes the child when a transaction with ledger entries is open, and keeps it frozen if that transaction is
     * still open once anything the child had in flight (a commit) has had time to land; otherwise lets it go on.
     * A frozen process cannot commit, so the kill that follows lands inside that transaction, deterministically.
     */
    private static boolean frozenInsideATransaction() {
        if (!ledgerTransactionOpen()) {
            return false;
        }
        crashing.freeze();
        try {
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20))
                    .until(MeteringCrashRecoveryIT::ledgerTransactionOpen);
            return true;
        } catch (ConditionTimeoutException committedMeanwhile) {
            crashing.thaw();
            return false;
        }
    }

    private static boolean ledgerTransactionOpen() {
        return cluster.openTransactionLag(Topics.LEDGER_ENTRIES.name()).values().stream().anyMatch(lag -> lag > 0);
    }

    private static Path writeConfig(Properties settings) throws IOException {
        Path config = workDir.resolve("metering.properties");
        try (Writer writer = Files.newBufferedWriter(config)) {
            settings.store(writer, "metering app in a child JVM");
        }
        return config;
    }

    private static Properties meteringSettings(String commitIntervalMs) {
        Properties settings = cluster.meteringProperties(APPLICATION_ID, stateDir);
        settings.setProperty("commit.interval.ms", commitIntervalMs);
        // the killed member leaves no group: the restart's rebalance waits for its session to expire
        settings.setProperty("session.timeout.ms", "6000");
        settings.setProperty("heartbeat.interval.ms", "1000");
        return settings;
    }

    private static List<UsageEvent> distinctEvents() {
        Random random = new Random(20261126L);
        List<UsageEvent> events = new ArrayList<>();
        for (int i = 0; i < DISTINCT_EVENTS; i++) {
            String sku = SKUS.get(random.nextInt(SKUS.size()));
            long quantity = PRICES.get(sku).unitSize() == PER_MINUTE ? 1 + random.nextInt(900) : 1 + random.nextInt(3);
            events.add(aUsageEvent().withEventId(String.format("crash-%03d", i))
                    .forAccount(ACCOUNTS.get(random.nextInt(ACCOUNTS.size())))
                    .sku(sku).quantity(quantity).at(OCCURRED_AT).build());
        }
        return events;
    }

    /** The events in order, with re-deliveries of earlier ones (the same record again) mixed in. */
    private static List<UsageEvent> withDuplicates(List<UsageEvent> distinct) {
        Random random = new Random(42L);
        List<UsageEvent> delivered = new ArrayList<>();
        for (int i = 0; i < distinct.size(); i++) {
            delivered.add(distinct.get(i));
            if (random.nextInt(100) < DUPLICATE_PERCENT) {
                delivered.add(distinct.get(random.nextInt(i + 1)));
            }
        }
        return delivered;
    }

    private static void sendAll(List<UsageEvent> events) {
        events.forEach(event -> cluster.send(Topics.USAGE_EVENTS, event.getAccountId(), event));
        cluster.flush();
    }

    /** The rate card's rule: usage rounded up to whole billing units, times the unit price. */
    private static long price(UsageEvent event) {
        UnitPrice price = PRICES.get(event.getSku());
        long units = (event.getQuantity() + price.unitSize() - 1) / price.unitSize();
        return units * price.unitPriceMicros();
    }

    private static Map<String, Long> expectedBalances(List<UsageEvent> distinct) {
        Map<String, Long> balances = new HashMap<>();
        distinct.forEach(event -> balances.merge(event.getAccountId(), -price(event), Long::sum));
        return balances;
    }

    private static Map<String, RollupTotals> expectedRollups(List<UsageEvent> distinct) {
        LocalDate day = LocalDate.ofInstant(OCCURRED_AT, ZoneOffset.UTC);
        Map<String, RollupTotals> rollups = new HashMap<>();
        distinct.forEach(event -> rollups.merge(Topics.rollupKey(event.getAccountId(), day, event.getSku()),
                new RollupTotals(event.getQuantity(), price(event), 1), RollupTotals::plus));
        return rollups;
    }

    private static Map<String, RollupTotals> latestRollups() {
        Map<String, RollupTotals> latest = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : cluster.records(Topics.USAGE_ROLLUPS.name(),
                IsolationLevel.READ_COMMITTED)) {
            UsageRollup rollup = Topics.USAGE_ROLLUPS.valueSerde().deserializer()
                    .deserialize(Topics.USAGE_ROLLUPS.name(), record.value());
            latest.put(EndToEndCluster.keyOf(record),
                    new RollupTotals(rollup.getQuantity(), rollup.getAmountMicros(), rollup.getEventCount()));
        }
        return latest;
    }

    private static List<LedgerEntry> committedUsageEntries() {
        return ledgerEntries(IsolationLevel.READ_COMMITTED);
    }

    /** Entry ids that appear more than once in the raw log: written by an aborted transaction, then again. */
    private static List<String> abortedUsageEntryIds() {
        return ledgerEntries(IsolationLevel.READ_UNCOMMITTED).stream()
                .collect(Collectors.groupingBy(LedgerEntry::getEntryId, Collectors.counting()))
                .entrySet().stream().filter(entry -> entry.getValue() > 1).map(Map.Entry::getKey).toList();
    }

    private static List<LedgerEntry> ledgerEntries(IsolationLevel isolation) {
        return cluster.records(Topics.LEDGER_ENTRIES.name(), isolation).stream()
                .map(record -> Topics.LEDGER_ENTRIES.valueSerde().deserializer()
                        .deserialize(Topics.LEDGER_ENTRIES.name(), record.value()))
                .filter(entry -> entry.getKind() == LedgerEntryKind.USAGE)
                .collect(Collectors.toList());
    }

    private record UnitPrice(long unitPriceMicros, long unitSize) {
    }

    /** A day's usage of one sku: what {@code usage-rollups} holds for its key. */
    private record RollupTotals(long quantity, long amountMicros, long eventCount) {
        RollupTotals plus(RollupTotals other) {
            return new RollupTotals(quantity + other.quantity, amountMicros + other.amountMicros,
                    eventCount + other.eventCount);
        }
    }
}
