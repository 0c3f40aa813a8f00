package dev.meterflow.metering.topology;

import static dev.meterflow.testdata.AccountSettingsBuilder.settingsFor;
import static dev.meterflow.testdata.PaymentCommandBuilder.aPaymentCommand;
import static dev.meterflow.testdata.PaymentResultBuilder.aPaymentResult;
import static dev.meterflow.testdata.TestData.LOCAL_MINUTES;
import static dev.meterflow.testdata.TestData.LOCAL_NUMBER;
import static dev.meterflow.testdata.TestData.SOFTWARE_FEE;
import static dev.meterflow.testdata.UsageEventBuilder.aUsageEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.meterflow.metering.config.MeteringConfig;
import dev.meterflow.schemas.AccountStatus;
import dev.meterflow.schemas.AccountStatusChanged;
import dev.meterflow.schemas.LedgerEntry;
import dev.meterflow.schemas.LedgerEntryKind;
import dev.meterflow.schemas.TaxRate;
import dev.meterflow.schemas.UsageEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, §4 and §5: a sub-account's usage, debited from its agency, is taxed by the sub-account's own service
 * address and exemption, on a line of its own keyed by the sub-account, and the tax is debited from the agency.
 */
class SubAccountTaxTopologyTest {

    private static final String AGENCY = "acct-agency-austin";
    private static final String SAN_DIEGO = "acct-sub-san-diego";
    private static final String CHURCH = "acct-sub-exempt-church";
    private static final String OTHER_AGENCY = "acct-agency-houston";
    private static final Instant OCTOBER_10 = Instant.parse("2026-10-10T09:00:00Z");
    private static final Instant NOVEMBER_1 = Instant.parse("2026-11-01T00:00:00Z");
    private static final long TEXAS_PPM = 62_500;
    private static final long CALIFORNIA_PPM = 72_500;
    /** $35 software fee and two $3 numbers; the call minutes are not taxable. */
    private static final long OCTOBER_BASE = 41_000_000;
    /** 7.25 % of $41.00 = $2.9725, rounded half up to the cent. */
    private static final long CALIFORNIA_TAX = 2_970_000;
    /** 6.25 % of $41.00 = $2.5625. */
    private static final long TEXAS_TAX = 2_560_000;
    private static final Duration RUN_INTERVAL = Duration.ofSeconds(30);

    @TempDir
    Path stateDir;
    @TempDir
    Path otherPartitionStateDir;

    private MeteringDriver metering;
    private MeteringDriver otherPartition;

    @AfterEach
    void stopTopology() {
        if (metering != null) {
            metering.close();
        }
        if (otherPartition != null) {
            otherPartition.close();
        }
    }

    @Test
    void shouldTaxASubAccountsUsageByItsOwnAddressAndDebitTheAgency() {
        // given an agency in Texas, a sub-account in California and an exempt one, each with October usage
        start(NOVEMBER_1.plusSeconds(10));
        metering.publish(settingsFor(AGENCY));
        metering.publish(settingsFor(SAN_DIEGO).billedTo(AGENCY).servicedIn("US", "CA"));
        metering.publish(settingsFor(CHURCH).billedTo(AGENCY).servicedIn("US", "CA").taxExempt());
        useTaxableAndUntaxableSkusInOctober(AGENCY);
        useTaxableAndUntaxableSkusInOctober(SAN_DIEGO);
        useTaxableAndUntaxableSkusInOctober(CHURCH);
        assertThat(metering.ledgerEntries()).extracting(LedgerEntry::getKind).containsOnly(LedgerEntryKind.USAGE);

        // when the first record of November arrives
        metering.publish(aUsageEvent().forAccount(AGENCY).withEventId("first-call-of-november").minutes(1)
                .at(NOVEMBER_1.plusSeconds(5)));

        // then the agency pays Texas tax on its own usage and California tax on the sub-account's, nothing on the
        // exempt one's
        List<LedgerEntry> taxes = metering.ledgerEntries().stream()
                .filter(entry -> entry.getKind() == LedgerEntryKind.TAX).toList();
        assertThat(taxes).extracting(LedgerEntry::getEntryId, LedgerEntry::getAccountId,
                        LedgerEntry::getSourceAccountId, LedgerEntry::getTaxJurisdiction, LedgerEntry::getTaxRatePpm,
                        LedgerEntry::getTaxableBaseMicros, LedgerEntry::getAmountMicros, LedgerEntry::getTaxPeriod)
                .containsExactlyInAnyOrder(
                        tuple("tax:" + AGENCY + ":2026-10", AGENCY, AGENCY, "US-TX", TEXAS_PPM, OCTOBER_BASE,
                                -TEXAS_TAX, "2026-10"),
                        tuple("tax:" + SAN_DIEGO + ":2026-10:via:" + AGENCY, AGENCY, SAN_DIEGO, "US-CA", CALIFORNIA_PPM,
                                OCTOBER_BASE, -CALIFORNIA_TAX, "2026-10"));
        long octoberUsage = 3 * (OCTOBER_BASE + 250_000);
        assertThat(metering.latestBalances().get(AGENCY).getBalanceMicros())
                .isEqualTo(-octoberUsage - TEXAS_TAX - CALIFORNIA_TAX - 25_000);
        assertThat(metering.latestBalances()).doesNotContainKeys(SAN_DIEGO, CHURCH);
        assertThat(metering.meteringMetric("tax-charged-total", null, null)).isEqualTo(2.0);
        assertThat(metering.meteringMetric("tax-not-charged-total", "reason", "EXEMPT")).isEqualTo(1.0);
    }

    @Test
    void shouldTaxASubAccountsLateUsageFromTheAgencyInTheNextRun() {
        start(NOVEMBER_1.plusSeconds(10));
        metering.publish(settingsFor(AGENCY));
        metering.publish(settingsFor(SAN_DIEGO).billedTo(AGENCY).servicedIn("US", "CA"));
        useTaxableAndUntaxableSkusInOctober(SAN_DIEGO);
        metering.publish(aUsageEvent().forAccount(AGENCY).withEventId("first-call-of-november").minutes(1)
                .at(NOVEMBER_1.plusSeconds(5)));
        assertThat(metering.ledgerEntries()).extracting(LedgerEntry::getEntryId)
                .contains("tax:" + SAN_DIEGO + ":2026-10:via:" + AGENCY);
        metering.forgetOutputs();

        // an October software fee of the sub-account, delivered after October was taxed
        metering.publish(aUsageEvent().forAccount(SAN_DIEGO).withEventId("late-october-fee").sku(SOFTWARE_FEE)
                .quantity(1).at(OCTOBER_10.plus(Duration.ofDays(20))));
        metering.advanceWallClock(Duration.ofDays(31));

        // 7.25 % of $35.00 = $2.5375
        assertThat(metering.ledgerEntries()).filteredOn(entry -> entry.getKind() == LedgerEntryKind.TAX)
                .extracting(LedgerEntry::getEntryId, LedgerEntry::getAccountId, LedgerEntry::getSourceAccountId,
                        LedgerEntry::getTaxPeriod, LedgerEntry::getTaxJurisdiction, LedgerEntry::getAmountMicros)
                .containsExactly(tuple("tax:" + SAN_DIEGO + ":2026-10:via:" + AGENCY + ":late:2026-11", AGENCY, SAN_DIEGO, "2026-10",
                        "US-CA", -2_540_000L));
    }

    @Test
    void shouldPauseTheAgencyAndItsSubAccountsWhenASubAccountsTaxTakesItBelowZero() {
        start(NOVEMBER_1.plusSeconds(10));
        metering.publish(settingsFor(AGENCY));
        metering.publish(settingsFor(SAN_DIEGO).billedTo(AGENCY).servicedIn("US", "CA"));
        useTaxableAndUntaxableSkusInOctober(SAN_DIEGO);
        metering.publish(aPaymentCommand().withCommandId("agency-pays").forAccount(AGENCY).amountCents(4_200)
                .at(OCTOBER_10.plusSeconds(60)));
        metering.publish(aPaymentResult().answering(metering.theRechargeRequest()).succeeded()
                .at(OCTOBER_10.plusSeconds(70)));
        assertThat(metering.latestBalances().get(AGENCY).getBalanceMicros()).isEqualTo(750_000);
        metering.forgetOutputs();

        metering.publish(aUsageEvent().forAccount(AGENCY).withEventId("november-call").minutes(0)
                .at(NOVEMBER_1.plusSeconds(5)));

        // $42.00 paid - $41.25 used = $0.75, less $2.97 of California tax
        assertThat(metering.ledgerEntries()).extracting(LedgerEntry::getKind, LedgerEntry::getAccountId,
                        LedgerEntry::getBalanceAfterMicros)
                .startsWith(tuple(LedgerEntryKind.TAX, AGENCY, 750_000 - CALIFORNIA_TAX));
        assertThat(metering.statusChanges()).extracting(AccountStatusChanged::getAccountId,
                        AccountStatusChanged::getStatus)
                .containsExactly(tuple(AGENCY, AccountStatus.PAUSED), tuple(SAN_DIEGO, AccountStatus.PAUSED));
    }

    /**
     * Taxid: a sub-account moved from one agency to another within a month has a line in each agency's task; each
     * posted its part under the same entry id, and a reader keeping one entry per id lost the other.
     */
    @Test
    void shouldTaxEachAgencysPartOfAMovedSubAccountsMonthUnderAnEntryIdOfItsOwn() {
        // given San Diego billed to Austin, on Austin's partition, in early October
        start(NOVEMBER_1.plusSeconds(10));
        metering.publish(settingsFor(AGENCY));
        metering.publish(settingsFor(SAN_DIEGO).billedTo(AGENCY).servicedIn("US", "CA"));
        List<UsageEvent> beforeMove = useTaxableSkusInOctober(metering, "before-move", OCTOBER_10);
        // and, once moved to Houston, on Houston's partition (another task, stores of its own) later in October
        otherPartition = startPartition(otherPartitionStateDir, NOVEMBER_1.plusSeconds(10));
        otherPartition.publish(settingsFor(OTHER_AGENCY));
        otherPartition.publish(settingsFor(SAN_DIEGO).billedTo(OTHER_AGENCY).servicedIn("US", "CA"));
        List<UsageEvent> afterMove = useTaxableSkusInOctober(otherPartition, "after-move",
                OCTOBER_10.plus(Duration.ofDays(10)));

        // when each partition's first record of November arrives
        metering.publish(aUsageEvent().forAccount(AGENCY).withEventId("november-austin").minutes(1)
                .at(NOVEMBER_1.plusSeconds(5)));
        otherPartition.publish(aUsageEvent().forAccount(OTHER_AGENCY).withEventId("november-houston").minutes(1)
                .at(NOVEMBER_1.plusSeconds(5)));

        // then each agency pays the tax on its own part, under an entry id of its own
        assertThat(taxes(metering, otherPartition)).extracting(LedgerEntry::getEntryId, LedgerEntry::getAccountId,
                        LedgerEntry::getSourceAccountId, LedgerEntry::getTaxableBaseMicros, LedgerEntry::getAmountMicros)
                .containsExactlyInAnyOrder(
                        tuple("tax:" + SAN_DIEGO + ":2026-10:via:" + AGENCY, AGENCY, SAN_DIEGO, OCTOBER_BASE,
                                -CALIFORNIA_TAX),
                        tuple("tax:" + SAN_DIEGO + ":2026-10:via:" + OTHER_AGENCY, OTHER_AGENCY, SAN_DIEGO,
                                OCTOBER_BASE, -CALIFORNIA_TAX));

        // and a replay of the month's usage and the runs after it posts nothing again
        metering.forgetOutputs();
        otherPartition.forgetOutputs();
        beforeMove.forEach(metering::publish);
        afterMove.forEach(otherPartition::publish);
        metering.advanceWallClock(Duration.ofDays(31));
        otherPartition.advanceWallClock(Duration.ofDays(31));
        assertThat(taxes(metering, otherPartition)).isEmpty();
    }

    private void start(Instant wallClock) {
        metering = startPartition(stateDir, wallClock);
    }

    private static MeteringDriver startPartition(Path stateDir, Instant wallClock) {
        Properties settings = new Properties();
        settings.setProperty(MeteringConfig.TAX_RUN_INTERVAL.name(), RUN_INTERVAL.toString());
        MeteringDriver partition = MeteringDriver.startAt(stateDir, wallClock, settings);
        partition.publish(rate("US-TX", TEXAS_PPM));
        partition.publish(rate("US-CA", CALIFORNIA_PPM));
        return partition;
    }

    /** $41.00 of taxable usage of San Diego at {@code at}, under event ids of {@code prefix}. */
    private static List<UsageEvent> useTaxableSkusInOctober(MeteringDriver partition, String prefix, Instant at) {
        return List.of(
                partition.publish(aUsageEvent().forAccount(SAN_DIEGO).withEventId(prefix + "-fee").sku(SOFTWARE_FEE)
                        .quantity(1).at(at)),
                partition.publish(aUsageEvent().forAccount(SAN_DIEGO).withEventId(prefix + "-numbers")
                        .sku(LOCAL_NUMBER).quantity(2).at(at.plusSeconds(1))));
    }

    private static List<LedgerEntry> taxes(MeteringDriver... partitions) {
        return Stream.of(partitions).flatMap(partition -> partition.ledgerEntries().stream())
                .filter(entry -> entry.getKind() == LedgerEntryKind.TAX).toList();
    }

    /** $41.00 of taxable usage and a $0.25 call, on October 10th. */
    private void useTaxableAndUntaxableSkusInOctober(String account) {
        metering.publish(aUsageEvent().forAccount(account).sku(SOFTWARE_FEE).quantity(1).at(OCTOBER_10));
        metering.publish(aUsageEvent().forAccount(account).sku(LOCAL_NUMBER).quantity(2)
                .at(OCTOBER_10.plusSeconds(1)));
        metering.publish(aUsageEvent().forAccount(account).sku(LOCAL_MINUTES).minutes(10)
                .at(OCTOBER_10.plusSeconds(2)));
    }

    private static TaxRate rate(String jurisdiction, long ratePpm) {
        return TaxRate.newBuilder().setJurisdiction(jurisdiction).setRatePpm(ratePpm).setName("sales tax").build();
    }
}
