package dev.meterflow.metering.topology;

import static dev.meterflow.testdata.AccountSettingsBuilder.settingsFor;
import static dev.meterflow.testdata.PaymentResultBuilder.aPaymentResult;
import static dev.meterflow.testdata.TestData.ACME;
import static dev.meterflow.testdata.TestData.BETA;
import static dev.meterflow.testdata.TestData.CALLER_ID_LOOKUP;
import static dev.meterflow.testdata.TestData.LOCAL_MINUTES;
import static dev.meterflow.testdata.TestData.LOCAL_NUMBER;
import static dev.meterflow.testdata.TestData.START;
import static dev.meterflow.testdata.TestData.TRANSCRIPTION_MINUTES;
import static dev.meterflow.testdata.TestData.dollars;
import static dev.meterflow.testdata.UsageEventBuilder.aUsageEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.meterflow.schemas.AccountBalance;
import dev.meterflow.schemas.LedgerEntry;
import dev.meterflow.schemas.LedgerEntryKind;
import dev.meterflow.schemas.RechargeRequest;
import dev.meterflow.schemas.UsageRollup;
import dev.meterflow.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pricing, the ledger, dedup and daily rollups, through the whole topology. */
class PricingAndLedgerTopologyTest {

    @TempDir
    Path stateDir;

    private MeteringDriver metering;

    @BeforeEach
    void startTopology() {
        metering = MeteringDriver.start(stateDir);
    }

    @AfterEach
    void stopTopology() {
        metering.close();
    }

    @Test
    void shouldChargeWholeStartedUnitsAtTheUnitPrice() {
        // given an account on the pro plan: 25_000 micros per started minute, $3 per local number
        metering.publish(settingsFor(ACME));

        // when
        metering.publish(aUsageEvent().withEventId("call-61s").sku(LOCAL_MINUTES).seconds(61));
        metering.publish(aUsageEvent().withEventId("call-60s").sku(LOCAL_MINUTES).seconds(60));
        metering.publish(aUsageEvent().withEventId("call-1s").sku(LOCAL_MINUTES).seconds(1));
        metering.publish(aUsageEvent().withEventId("numbers").sku(LOCAL_NUMBER).quantity(2));

        // then units = ceil(quantity / unitSize), amount = units x unitPriceMicros, exactly
        assertThat(metering.ledgerEntries())
                .extracting(LedgerEntry::getSourceId, LedgerEntry::getAmountMicros)
                .containsExactly(
                        tuple("call-61s", -50_000L),
                        tuple("call-60s", -25_000L),
                        tuple("call-1s", -25_000L),
                        tuple("numbers", -6_000_000L));
    }

    @Test
    void shouldPostAUsageLedgerEntryWithARunningBalanceForEveryDebit() {
        // given
        metering.publish(settingsFor(ACME));

        // when
        metering.publish(aUsageEvent().withEventId("evt-0001").sku(LOCAL_MINUTES).seconds(61)
                .at(START.plusSeconds(10)));
        metering.publish(aUsageEvent().withEventId("evt-0002").sku(TRANSCRIPTION_MINUTES).seconds(61)
                .at(START.plusSeconds(20)));

        // then
        List<LedgerEntry> entries = metering.ledgerEntries();
        assertThat(entries)
                .extracting(LedgerEntry::getEntryId, LedgerEntry::getKind, LedgerEntry::getSourceId,
                        LedgerEntry::getAccountId, LedgerEntry::getSourceAccountId, LedgerEntry::getSku,
                        LedgerEntry::getQuantity, LedgerEntry::getAmountMicros, LedgerEntry::getBalanceAfterMicros)
                .containsExactly(
                        tuple("usage:evt-0001", LedgerEntryKind.USAGE, "evt-0001", ACME, ACME, LOCAL_MINUTES, 61L,
                                -50_000L, -50_000L),
                        tuple("usage:evt-0002", LedgerEntryKind.USAGE, "evt-0002", ACME, ACME,
                                TRANSCRIPTION_MINUTES, 61L, -100_000L, -150_000L));
        assertThat(entries.get(0).getOccurredAt()).isEqualTo(START.plusSeconds(10));
    }

    @Test
    void shouldKeepEachAccountsLatestBalanceEqualToTheSumOfItsLedgerEntries() {
        // given two accounts, one of them recharged by its card
        metering.publish(settingsFor(ACME).topUpTo(dollars(50)).whenBelow(dollars(15)));
        RechargeRequest acmeRecharge = metering.theRechargeRequest();
        metering.publish(aPaymentResult().answering(acmeRecharge).succeeded().at(START.plusSeconds(5)));
        metering.publish(settingsFor(BETA));

        // when usage of both arrives interleaved
        for (int call = 1; call <= 5; call++) {
            Instant at = START.plusSeconds(60L * call);
            metering.publish(aUsageEvent().forAccount(ACME).sku(LOCAL_MINUTES).seconds(37L * call).at(at));
            metering.publish(aUsageEvent().forAccount(BETA).sku(TRANSCRIPTION_MINUTES).seconds(53L * call).at(at));
            metering.publish(aUsageEvent().forAccount(ACME).sku(CALLER_ID_LOOKUP).quantity(call).at(at));
        }

        // then
        List<LedgerEntry> entries = metering.ledgerEntries();
        Map<String, Long> ledgerSums = entries.stream().collect(
                Collectors.groupingBy(LedgerEntry::getAccountId, Collectors.summingLong(LedgerEntry::getAmountMicros)));
        Map<String, AccountBalance> latest = metering.latestBalances();
        assertThat(latest.get(ACME).getBalanceMicros()).isEqualTo(ledgerSums.get(ACME));
        assertThat(latest.get(BETA).getBalanceMicros()).isEqualTo(ledgerSums.get(BETA));
        // calls of 37, 74, 111, 148 and 185 s are 1 + 2 + 2 + 3 + 4 started minutes; 1 + ... + 5 lookups
        assertThat(ledgerSums.get(ACME)).isEqualTo(dollars(50) - 12 * 25_000 - 15 * 15_000);
        assertThat(entries).filteredOn(entry -> entry.getKind() == LedgerEntryKind.RECHARGE).hasSize(1);
    }

    @Test
    void shouldDebitAReplayedEventIdOnlyOnce() {
        // given
        metering.publish(settingsFor(ACME));
        var call = aUsageEvent().withEventId("call-7f3a").sku(LOCAL_MINUTES).minutes(3);
        metering.publish(call);

        // when the platform delivers it again, twice
        metering.publish(call);
        metering.publish(call);

        // then it is debited, and rolled up, once
        assertThat(metering.ledgerEntries()).extracting(LedgerEntry::getEntryId).containsExactly("usage:call-7f3a");
        assertThat(metering.latestBalances().get(ACME).getBalanceMicros()).isEqualTo(-75_000L);
        assertThat(metering.latestRollups().get(Topics.rollupKey(ACME, LocalDate.of(2025, 3, 3), LOCAL_MINUTES))
                .getEventCount()).isEqualTo(1);
        assertThat(metering.meteringMetric("usage-duplicate-total", "task-id", "0_0")).isEqualTo(2.0);
    }

    @Test
    void shouldStillRejectAReplayedEventIdThirtyFiveDaysLater() {
        // given an event debited today
        metering.publish(settingsFor(ACME));
        var call = aUsageEvent().withEventId("call-0c11").sku(LOCAL_MINUTES).minutes(3);
        metering.publish(call);
        metering.forgetOutputs();

        // when, 30 and then 35 days later (the contract's horizon), new usage is debited and the old event replayed
        metering.advanceWallClock(Duration.ofDays(30));
        metering.publish(aUsageEvent().withEventId("call-day-30").minutes(1).at(START.plus(Duration.ofDays(30))));
        metering.publish(call);
        List<LedgerEntry> after30Days = metering.ledgerEntries();
        metering.advanceWallClock(Duration.ofDays(5));
        metering.publish(aUsageEvent().withEventId("call-day-35").minutes(1).at(START.plus(Duration.ofDays(35))));
        metering.publish(call);
        List<LedgerEntry> after35Days = metering.ledgerEntries();

        // then only the new usage is debited
        assertThat(after30Days).extracting(LedgerEntry::getSourceId).containsExactly("call-day-30");
        assertThat(after35Days).extracting(LedgerEntry::getSourceId).containsExactly("call-day-35");
    }

    @Test
    void shouldForgetEventIdsLongAfterTheDedupRetentionSoTheStoreStaysBounded() {
        // given an event debited today (default retention: 36 days)
        metering.publish(settingsFor(ACME));
        var call = aUsageEvent().withEventId("call-9b2e").sku(LOCAL_MINUTES).minutes(3);
        metering.publish(call);
        metering.forgetOutputs();

        // when, 120 days later, new usage is debited and the old event replayed
        metering.advanceWallClock(Duration.ofDays(120));
        metering.publish(aUsageEvent().withEventId("call-day-120").minutes(1).at(START.plus(Duration.ofDays(120))));
        metering.publish(call);

        // then it is no longer remembered, and is debited again
        assertThat(metering.ledgerEntries()).extracting(LedgerEntry::getSourceId)
                .containsExactly("call-day-120", "call-9b2e");
    }

    @Test
    void shouldRollUsageUpPerAccountSkuAndUtcDay() {
        // given
        metering.publish(settingsFor(ACME));
        Instant lastSecondOfMarch3 = Instant.parse("2025-03-03T23:59:59Z");
        Instant firstSecondOfMarch4 = Instant.parse("2025-03-04T00:00:01Z");

        // when
        metering.publish(aUsageEvent().sku(LOCAL_MINUTES).seconds(61).at(START));
        metering.publish(aUsageEvent().sku(LOCAL_MINUTES).seconds(30).at(lastSecondOfMarch3));
        metering.publish(aUsageEvent().sku(TRANSCRIPTION_MINUTES).seconds(90).at(lastSecondOfMarch3));
        metering.publish(aUsageEvent().sku(LOCAL_MINUTES).seconds(45).at(firstSecondOfMarch4));

        // then
        String march3Local = ACME + "/2025-03-03/" + LOCAL_MINUTES;
        String march3Transcription = ACME + "/2025-03-03/" + TRANSCRIPTION_MINUTES;
        String march4Local = ACME + "/2025-03-04/" + LOCAL_MINUTES;
        Map<String, UsageRollup> rollups = metering.latestRollups();
        assertThat(rollups).containsOnlyKeys(march3Local, march3Transcription, march4Local);
        assertThat(rollups.get(march3Local))
                .extracting(UsageRollup::getAccountId, UsageRollup::getDay, UsageRollup::getSku,
                        UsageRollup::getQuantity, UsageRollup::getAmountMicros, UsageRollup::getEventCount)
                .containsExactly(ACME, LocalDate.of(2025, 3, 3), LOCAL_MINUTES, 91L, 75_000L, 2L);
        assertThat(rollups.get(march3Transcription))
                .extracting(UsageRollup::getQuantity, UsageRollup::getAmountMicros, UsageRollup::getEventCount)
                .containsExactly(90L, 100_000L, 1L);
        assertThat(rollups.get(march4Local))
                .extracting(UsageRollup::getDay, UsageRollup::getQuantity, UsageRollup::getAmountMicros,
                        UsageRollup::getEventCount)
                .containsExactly(LocalDate.of(2025, 3, 4), 45L, 25_000L, 1L);
    }
}
