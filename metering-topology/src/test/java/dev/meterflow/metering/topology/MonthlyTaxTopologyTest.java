package dev.meterflow.metering.topology;

import static dev.meterflow.testdata.AccountSettingsBuilder.settingsFor;
import static dev.meterflow.testdata.PaymentCommandBuilder.aPaymentCommand;
import static dev.meterflow.testdata.PaymentResultBuilder.aPaymentResult;
import static dev.meterflow.testdata.TestData.ACME;
import static dev.meterflow.testdata.TestData.BETA;
import static dev.meterflow.testdata.TestData.LOCAL_MINUTES;
import static dev.meterflow.testdata.TestData.LOCAL_NUMBER;
import static dev.meterflow.testdata.TestData.PLAN_FEE;
import static dev.meterflow.testdata.TestData.PLAN_FEE_PRICE;
import static dev.meterflow.testdata.TestData.SOFTWARE_FEE;
import static dev.meterflow.testdata.UsageEventBuilder.aUsageEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.meterflow.metering.config.MeteringConfig;
import dev.meterflow.schemas.AccountStatus;
import dev.meterflow.schemas.AccountStatusChanged;
import dev.meterflow.schemas.LedgerEntry;
import dev.meterflow.schemas.LedgerEntryKind;
import dev.meterflow.schemas.RechargeRequest;
import dev.meterflow.schemas.TaxRate;
import dev.meterflow.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, §4: monthly sales tax. Usage of taxable skus is taxed once per account and month (UTC, by
 * {@code occurredAt}) on the 1st of the next month, at the rate of the service address's jurisdiction; the month
 * turns by record time or by the wall clock, never by sleeping.
 */
class MonthlyTaxTopologyTest {

    private static final Instant MARCH_10 = Instant.parse("2025-03-10T09:00:00Z");
    private static final Instant APRIL_1 = Instant.parse("2025-04-01T00:00:00Z");
    private static final Instant MAY_1 = Instant.parse("2025-05-01T00:00:00Z");
    /** 6.25 %, Texas. */
    private static final long TEXAS_PPM = 62_500;
    /** $35 software fee and two $3 numbers; the call minutes are not taxable. */
    private static final long MARCH_BASE = 41_000_000;
    /** 6.25 % of $41.00 = $2.5625, rounded half up to the cent. */
    private static final long MARCH_TAX = 2_560_000;
    private static final Duration RUN_INTERVAL = Duration.ofSeconds(30);
    /** From 23:59 on March 31st to past the hour of grace the wall clock gives the month's last usage. */
    private static final Duration PAST_THE_GRACE = Duration.ofMinutes(62);

    @TempDir
    Path stateDir;

    private final List<MeteringDriver> drivers = new ArrayList<>();

    @AfterEach
    void stopTopology() {
        drivers.forEach(MeteringDriver::close);
    }

    @Test
    void shouldTaxMarchWhenTheFirstRecordOfAprilArrives() {
        // the wall clock just after midnight on April 1st, its punctuation not due yet: only record time can do it
        MeteringDriver metering = start(APRIL_1.plusSeconds(10), 500);
        metering.publish(settingsFor(ACME));
        useTaxableAndUntaxableSkusInMarch(metering, ACME);
        assertThat(metering.ledgerEntries()).extracting(LedgerEntry::getKind).containsOnly(LedgerEntryKind.USAGE);

        metering.publish(aUsageEvent().withEventId("first-call-of-april").minutes(1).at(APRIL_1.plusSeconds(5)));

        List<LedgerEntry> entries = metering.ledgerEntries();
        assertThat(entries).extracting(LedgerEntry::getEntryId)
                .containsExactly("tax:" + ACME + ":2025-03", "usage:first-call-of-april");
        LedgerEntry tax = entries.get(0);
        assertThat(tax.getKind()).isEqualTo(LedgerEntryKind.TAX);
        assertThat(tax.getSourceId()).isEqualTo(tax.getEntryId());
        assertThat(tax.getAccountId()).isEqualTo(ACME);
        assertThat(tax.getSourceAccountId()).isEqualTo(ACME);
        assertThat(tax.getAmountMicros()).isEqualTo(-MARCH_TAX);
        assertThat(tax.getTaxPeriod()).isEqualTo("2025-03");
        assertThat(tax.getTaxJurisdiction()).isEqualTo("US-TX");
        assertThat(tax.getTaxableBaseMicros()).isEqualTo(MARCH_BASE);
        assertThat(tax.getTaxRatePpm()).isEqualTo(TEXAS_PPM);
        assertThat(tax.getOccurredAt()).isEqualTo(APRIL_1);
        assertThat(tax.getBalanceAfterMicros()).isEqualTo(-MARCH_BASE - 250_000 - MARCH_TAX);
        assertThat(metering.meteringMetric("tax-charged-total", null, null)).isEqualTo(1.0);
    }

    @Test
    void shouldNotLetARecordStampedFarAheadOfTheWallClockCloseTheMonth() {
        MeteringDriver metering = start(MARCH_10.plus(Duration.ofDays(1)), 500);
        metering.publish(settingsFor(ACME));
        useTaxableAndUntaxableSkusInMarch(metering, ACME);

        // a producer whose clock says May
        metering.publish(aUsageEvent().withEventId("from-the-future").minutes(1).at(MAY_1));
        metering.publish(aUsageEvent().withEventId("march-fee").sku(SOFTWARE_FEE).quantity(1)
                .at(MARCH_10.plusSeconds(60)));
        assertThat(metering.ledgerEntries()).extracting(LedgerEntry::getKind).containsOnly(LedgerEntryKind.USAGE);

        metering.advanceWallClock(Duration.between(MARCH_10.plus(Duration.ofDays(1)), APRIL_1).plus(PAST_THE_GRACE));

        // March's line, the late fee in it: it was not closed in March by the May record
        assertThat(metering.ledgerEntries()).extracting(LedgerEntry::getEntryId, LedgerEntry::getTaxableBaseMicros)
                .containsExactly(tuple("tax:" + ACME + ":2025-03", MARCH_BASE + 35_000_000));
    }

    @Test
    void shouldTaxAQuietAccountByTheWallClock() {
        MeteringDriver metering = start(Instant.parse("2025-03-31T23:59:00Z"), 500);
        metering.publish(settingsFor(ACME));
        useTaxableAndUntaxableSkusInMarch(metering, ACME);
        metering.forgetOutputs();

        metering.advanceWallClock(RUN_INTERVAL);
        assertThat(metering.ledgerEntries()).as("still March by the wall clock").isEmpty();
        metering.advanceWallClock(Duration.ofMinutes(30));
        assertThat(metering.ledgerEntries()).as("April, within the hour March's last usage may still arrive in")
                .isEmpty();

        metering.advanceWallClock(Duration.ofMinutes(31));
        assertThat(metering.ledgerEntries()).extracting(LedgerEntry::getEntryId, LedgerEntry::getAmountMicros)
                .containsExactly(tuple("tax:" + ACME + ":2025-03", -MARCH_TAX));
        assertThat(metering.latestBalances().get(ACME).getBalanceMicros()).isEqualTo(-MARCH_BASE - 250_000 - MARCH_TAX);

        metering.advanceWallClock(Duration.ofDays(2));
        assertThat(metering.ledgerEntries()).as("taxed once").isEmpty();
    }

    @Test
    void shouldNotTaxAnExemptAccountAndCountIt() {
        MeteringDriver metering = start(Instant.parse("2025-03-31T23:59:00Z"), 500);
        metering.publish(settingsFor(ACME).taxExempt());
        useTaxableAndUntaxableSkusInMarch(metering, ACME);
        metering.forgetOutputs();

        metering.advanceWallClock(PAST_THE_GRACE);

        assertThat(metering.ledgerEntries()).isEmpty();
        assertThat(metering.meteringMetric("tax-not-charged-total", "reason", "EXEMPT")).isEqualTo(1.0);
        assertThat(metering.meteringMetric("tax-charged-total", null, null)).isZero();
    }

    @Test
    void shouldNotGuessATaxWithoutAnAddressOrARateAndCountEach() {
        MeteringDriver metering = start(Instant.parse("2025-03-31T23:59:00Z"), 500);
        metering.publish(settingsFor(ACME).withoutServiceAddress());
        metering.publish(settingsFor(BETA).servicedIn("US", "NY"));
        useTaxableAndUntaxableSkusInMarch(metering, ACME);
        useTaxableAndUntaxableSkusInMarch(metering, BETA);
        metering.forgetOutputs();

        metering.advanceWallClock(PAST_THE_GRACE);

        assertThat(metering.ledgerEntries()).isEmpty();
        assertThat(metering.meteringMetric("tax-not-charged-total", "reason", "NO_ADDRESS")).isEqualTo(1.0);
        assertThat(metering.meteringMetric("tax-not-charged-total", "reason", "NO_RATE")).isEqualTo(1.0);
    }

    @Test
    void shouldTaxLateUsageOfATaxedMonthInTheNextRunAsALineNamingItsMonth() {
        MeteringDriver metering = start(APRIL_1.plusSeconds(10), 500);
        metering.publish(settingsFor(ACME));
        useTaxableAndUntaxableSkusInMarch(metering, ACME);
        metering.publish(aUsageEvent().withEventId("april-number").sku(LOCAL_NUMBER).quantity(1)
                .at(APRIL_1.plusSeconds(5)));
        assertThat(metering.ledgerEntries()).extracting(LedgerEntry::getEntryId)
                .contains("tax:" + ACME + ":2025-03");

        // a March software fee delivered on April 5th, after March was taxed
        metering.publish(aUsageEvent().withEventId("late-march-fee").sku(SOFTWARE_FEE).quantity(1)
                .at(MARCH_10.plus(Duration.ofDays(20))));
        assertThat(metering.ledgerEntries()).extracting(LedgerEntry::getKind).containsExactly(LedgerEntryKind.USAGE);

        metering.advanceWallClock(Duration.between(APRIL_1, MAY_1).plus(PAST_THE_GRACE));

        assertThat(metering.ledgerEntries()).extracting(LedgerEntry::getEntryId, LedgerEntry::getTaxPeriod,
                        LedgerEntry::getTaxableBaseMicros, LedgerEntry::getAmountMicros)
                .containsExactly(
                        tuple("tax:" + ACME + ":2025-03:late:2025-04", "2025-03", 35_000_000L, -2_190_000L),
                        tuple("tax:" + ACME + ":2025-04", "2025-04", 3_000_000L, -190_000L));
    }

    @Test
    void shouldAddLateUsageToItsMonthsLineWhileTheRunHasNotTakenItYet() {
        MeteringDriver metering = start(Instant.parse("2025-03-31T23:59:00Z"), 1);
        metering.publish(settingsFor(ACME));
        metering.publish(settingsFor(BETA));
        useTaxableAndUntaxableSkusInMarch(metering, ACME);
        useTaxableAndUntaxableSkusInMarch(metering, BETA);
        metering.forgetOutputs();
        metering.advanceWallClock(PAST_THE_GRACE);
        assertThat(metering.ledgerEntries()).extracting(LedgerEntry::getEntryId)
                .containsExactly("tax:" + ACME + ":2025-03");

        // a March number of BETA, delivered between the run's first and second slice
        metering.publish(aUsageEvent().withEventId("late-beta-number").forAccount(BETA).sku(LOCAL_NUMBER)
                .quantity(1).at(MARCH_10.plusSeconds(600)));
        metering.advanceWallClock(RUN_INTERVAL);

        assertThat(metering.ledgerEntries()).extracting(LedgerEntry::getEntryId, LedgerEntry::getTaxableBaseMicros)
                .containsExactly(tuple("usage:late-beta-number", 0L),
                        tuple("tax:" + BETA + ":2025-03", MARCH_BASE + 3_000_000));
    }

    @Test
    void shouldTaxEveryAccountExactlyOnceWhenTheRunIsCutShortAndResumed() {
        List<String> accounts = IntStream.rangeClosed(1, 5).mapToObj(i -> "acct-tax-" + i).toList();
        MeteringDriver first = start(Instant.parse("2025-03-31T23:59:00Z"), 2);
        for (String account : accounts) {
            first.publish(settingsFor(account));
            useTaxableAndUntaxableSkusInMarch(first, account);
        }
        first.forgetOutputs();

        // one slice of two accounts, then the instance stops in the middle of the run
        first.advanceWallClock(PAST_THE_GRACE);
        List<LedgerEntry> taxed = new ArrayList<>(first.ledgerEntries());
        assertThat(taxed).hasSize(2);
        MeteringDriver.CommittedState committed = first.committedState();
        first.close();
        drivers.remove(first);

        MeteringDriver second = start(Instant.parse("2025-04-01T01:01:00Z"), 2);
        second.restore(committed);
        second.advanceWallClock(RUN_INTERVAL);
        second.advanceWallClock(RUN_INTERVAL);
        second.advanceWallClock(RUN_INTERVAL);
        List<LedgerEntry> resumed = second.ledgerEntries();
        assertThat(resumed).as("the resumed run takes only the lines the first one had not committed").hasSize(3);
        assertThat(second.meteringMetric("tax-duplicate-total", null, null)).isZero();
        taxed.addAll(resumed);

        assertThat(taxed).extracting(LedgerEntry::getEntryId).containsExactlyInAnyOrderElementsOf(
                accounts.stream().map(account -> "tax:" + account + ":2025-03").toList());
        assertThat(taxed).extracting(LedgerEntry::getAmountMicros).containsOnly(-MARCH_TAX);
        assertThat(taxed).extracting(LedgerEntry::getBalanceAfterMicros)
                .containsOnly(-MARCH_BASE - 250_000 - MARCH_TAX);
    }

    @Test
    void shouldRecogniseATaxLineAlreadyDebitedWhenItComesBack() {
        MeteringDriver metering = start(Instant.parse("2025-03-31T23:59:00Z"), 500);
        metering.publish(settingsFor(ACME));
        useTaxableAndUntaxableSkusInMarch(metering, ACME);
        metering.advanceWallClock(PAST_THE_GRACE);
        metering.forgetOutputs();

        // as a replay that rebuilt the index line after its tax was posted would leave it
        metering.taxableUsageStore().put("2025-03|2025-03|" + ACME, TaxableBase.of(MARCH_BASE));
        metering.advanceWallClock(RUN_INTERVAL);

        assertThat(metering.ledgerEntries()).isEmpty();
        assertThat(metering.meteringMetric("tax-duplicate-total", null, null)).isEqualTo(1.0);
        assertThat(metering.taxableUsageStore().get("2025-03|2025-03|" + ACME)).isNull();
    }

    @Test
    void shouldPauseAnAccountThatTheTaxTakesBelowZero() {
        MeteringDriver metering = start(APRIL_1.plusSeconds(10), 500);
        metering.publish(settingsFor(ACME));
        useTaxableAndUntaxableSkusInMarch(metering, ACME);
        metering.publish(aPaymentCommand().withCommandId("pay-back").forAccount(ACME).amountCents(4_200)
                .at(MARCH_10.plusSeconds(60)));
        RechargeRequest payment = metering.theRechargeRequest();
        metering.publish(aPaymentResult().answering(payment).succeeded().at(MARCH_10.plusSeconds(70)));
        assertThat(metering.statusChanges()).extracting(AccountStatusChanged::getStatus)
                .containsExactly(AccountStatus.PAUSED, AccountStatus.ACTIVE);
        metering.forgetOutputs();

        metering.publish(aUsageEvent().withEventId("april-call").minutes(0).at(APRIL_1.plusSeconds(5)));

        // $42.00 paid - $41.25 used = $0.75, less $2.56 of tax
        assertThat(metering.ledgerEntries()).extracting(LedgerEntry::getKind, LedgerEntry::getBalanceAfterMicros)
                .startsWith(tuple(LedgerEntryKind.TAX, 750_000 - MARCH_TAX));
        assertThat(metering.statusChanges()).extracting(AccountStatusChanged::getStatus, AccountStatusChanged::getReason)
                .containsExactly(tuple(AccountStatus.PAUSED, "BALANCE_BELOW_ZERO"));
    }

    @Test
    void shouldTaxAPlanFeeDebitedAfterItsDirectChargeFailedLikeAnyTaxableUsage() {
        // issue 10 §3 and §4: given an opted-in account whose March plan fee no payment method could pay
        MeteringDriver metering = start(APRIL_1.plusSeconds(10), 500);
        metering.publish(settingsFor(ACME).autoRechargeOff().directChargePlanFee());
        metering.publish(aUsageEvent().withEventId("march-plan-fee").sku(PLAN_FEE).quantity(1).at(MARCH_10));
        RechargeRequest feeRequest = metering.theRechargeRequest();
        metering.publish(aPaymentResult().answering(feeRequest).declined().at(MARCH_10.plusSeconds(60)));
        assertThat(metering.ledgerEntries()).extracting(LedgerEntry::getKind, LedgerEntry::getAmountMicros)
                .containsExactly(tuple(LedgerEntryKind.USAGE, -PLAN_FEE_PRICE));

        // when April's first record arrives
        metering.publish(aUsageEvent().withEventId("first-call-of-april").minutes(1).at(APRIL_1.plusSeconds(5)));

        // then the $49.00 debited is March's taxable base: 6.25 % is $3.0625, $3.06 rounded half up
        assertThat(metering.ledgerEntries()).extracting(LedgerEntry::getEntryId, LedgerEntry::getTaxableBaseMicros,
                        LedgerEntry::getAmountMicros)
                .startsWith(tuple("tax:" + ACME + ":2025-03", PLAN_FEE_PRICE, -3_060_000L));
    }

    @Test
    void shouldRefuseBadTaxRateRecordsAndKeepThePreviousRate() {
        MeteringDriver metering = start(Instant.parse("2025-03-31T23:59:00Z"), 500);
        byte[] texas = "US-TX".getBytes(StandardCharsets.UTF_8);
        metering.publishRaw(Topics.TAX_RATES.name(), texas, "\u0007garbage".getBytes(StandardCharsets.UTF_8));
        metering.publishRaw(Topics.TAX_RATES.name(), texas, serialized(rate("US-TX", -5)));
        metering.publishRaw(Topics.TAX_RATES.name(), texas, serialized(rate("US-CA", 72_500)));
        metering.publishRaw(Topics.TAX_RATES.name(), null, serialized(rate("US-TX", 1)));
        metering.publish(settingsFor(ACME));
        useTaxableAndUntaxableSkusInMarch(metering, ACME);
        metering.forgetOutputs();

        metering.advanceWallClock(PAST_THE_GRACE);

        assertThat(metering.refusedReferenceRecords()).containsExactly("tax-rates-0@1 UNDECODABLE",
                "tax-rates-0@2 INVALID", "tax-rates-0@3 INVALID", "tax-rates-0@4 NO_KEY");
        assertThat(metering.ledgerEntries()).extracting(LedgerEntry::getTaxRatePpm, LedgerEntry::getAmountMicros)
                .containsExactly(tuple(TEXAS_PPM, -MARCH_TAX));
    }

    private MeteringDriver start(Instant wallClock, int sliceSize) {
        Properties settings = new Properties();
        settings.setProperty(MeteringConfig.TAX_RUN_INTERVAL.name(), RUN_INTERVAL.toString());
        settings.setProperty(MeteringConfig.TAX_RUN_SLICE_SIZE.name(), Integer.toString(sliceSize));
        MeteringDriver metering = MeteringDriver.startAt(stateDir, wallClock, settings);
        metering.publish(rate("US-TX", TEXAS_PPM));
        drivers.add(metering);
        return metering;
    }

    /** $41.00 of taxable usage and a $0.25 call, on March 10th. */
    private static void useTaxableAndUntaxableSkusInMarch(MeteringDriver metering, String account) {
        metering.publish(aUsageEvent().forAccount(account).sku(SOFTWARE_FEE).quantity(1).at(MARCH_10));
        metering.publish(aUsageEvent().forAccount(account).sku(LOCAL_NUMBER).quantity(2).at(MARCH_10.plusSeconds(1)));
        metering.publish(aUsageEvent().forAccount(account).sku(LOCAL_MINUTES).minutes(10)
                .at(MARCH_10.plusSeconds(2)));
    }

    private static TaxRate rate(String jurisdiction, long ratePpm) {
        return TaxRate.newBuilder().setJurisdiction(jurisdiction).setRatePpm(ratePpm).setName("sales tax").build();
    }

    private static byte[] serialized(TaxRate rate) {
        return Topics.TAX_RATES.valueSerde().serializer().serialize(Topics.TAX_RATES.name(), rate);
    }
}
