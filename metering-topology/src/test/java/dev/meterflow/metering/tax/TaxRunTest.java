package dev.meterflow.metering.tax;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meterflow.metering.tax.TaxOutcome.NotTaxed;
import dev.meterflow.metering.tax.TaxOutcome.Reason;
import java.time.YearMonth;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Whom the monthly run taxes, at which rate, and the ids of its lines (issue 10, §4), without Kafka. */
class TaxRunTest {

    private static final YearMonth OCTOBER = YearMonth.of(2026, 10);
    private static final YearMonth NOVEMBER = YearMonth.of(2026, 11);
    private static final TaxLine LINE = new TaxLine("acct-1", OCTOBER, OCTOBER, 100_000_000);
    private static final Function<String, Optional<Long>> RATES =
            jurisdiction -> Optional.ofNullable(Map.of("US-CA", 72_500L, "US-TX", 62_500L).get(jurisdiction));

    @Test
    void shouldTaxTheBaseAtTheRateOfTheServiceAddress() {
        TaxOutcome outcome = TaxRun.assess(LINE, Optional.of(TaxProfile.of("US", "CA", false)), RATES);

        assertThat(outcome).isEqualTo(new TaxOutcome.Taxed(LINE, "US-CA", 72_500, 7_250_000));
    }

    @Test
    void shouldNameTheJurisdictionInUpperCaseWithoutSpaces() {
        assertThat(TaxProfile.of(" us ", "tx", false).jurisdiction()).contains("US-TX");
    }

    @Test
    void shouldNotTaxAnExemptAccountWhateverItsAddress() {
        assertThat(reason(Optional.of(TaxProfile.of("US", "CA", true)))).isEqualTo(Reason.EXEMPT);
    }

    @Test
    void shouldNotGuessWithoutAnAddressOrARate() {
        assertThat(reason(Optional.of(TaxProfile.of(null, null, false)))).isEqualTo(Reason.NO_ADDRESS);
        assertThat(reason(Optional.of(TaxProfile.of("US", " ", false)))).isEqualTo(Reason.NO_ADDRESS);
        assertThat(reason(Optional.of(TaxProfile.of("US", "NY", false)))).isEqualTo(Reason.NO_RATE);
        assertThat(reason(Optional.empty())).isEqualTo(Reason.NO_SETTINGS);
    }

    @Test
    void shouldPostNothingWhenTheTaxRoundsToZero() {
        TaxLine tiny = new TaxLine("acct-1", OCTOBER, OCTOBER, 60_000);
        assertThat(TaxRun.assess(tiny, Optional.of(TaxProfile.of("US", "TX", false)), RATES))
                .isInstanceOf(NotTaxed.class)
                .extracting(outcome -> ((NotTaxed) outcome).reason()).isEqualTo(Reason.ROUNDS_TO_ZERO);
    }

    @Test
    void shouldTaxASubAccountsLineByTheProfileItsUsageCameWithAndChargeItsAgency() {
        TaxLine billedToAgency = new TaxLine("acct-sub", OCTOBER, OCTOBER, 100_000_000,
                Optional.of(new BilledToAgency("acct-agency", TaxProfile.of("US", "CA", false))));

        Optional<TaxProfile> profile = TaxRun.profileFor(billedToAgency, Optional.of(TaxProfile.of("US", "TX", false)));

        assertThat(profile).contains(TaxProfile.of("US", "CA", false));
        assertThat(TaxRun.assess(billedToAgency, profile, RATES))
                .isEqualTo(new TaxOutcome.Taxed(billedToAgency, "US-CA", 72_500, 7_250_000));
        assertThat(billedToAgency.payerId()).isEqualTo("acct-agency");
        assertThat(billedToAgency.entryId()).isEqualTo("tax:acct-sub:2026-10:via:acct-agency");
    }

    @Test
    void shouldTaxAnAccountsOwnLineByItsOwnProfile() {
        assertThat(TaxRun.profileFor(LINE, Optional.of(TaxProfile.of("US", "TX", false))))
                .contains(TaxProfile.of("US", "TX", false));
        assertThat(LINE.payerId()).isEqualTo("acct-1");
    }

    @Test
    void shouldNotTaxASubAccountsLineExemptWhenItsUsageWasRoutedNorOneWhoseAgencyHasNoSettings() {
        TaxLine exempt = new TaxLine("acct-sub", OCTOBER, OCTOBER, 100_000_000,
                Optional.of(new BilledToAgency("acct-agency", TaxProfile.of("US", "CA", true))));

        assertThat(TaxRun.assess(exempt, TaxRun.profileFor(exempt, Optional.of(TaxProfile.of("US", "TX", false))),
                RATES)).extracting(outcome -> ((NotTaxed) outcome).reason()).isEqualTo(Reason.EXEMPT);
        assertThat(TaxRun.assess(exempt, TaxRun.profileFor(exempt, Optional.empty()), RATES))
                .extracting(outcome -> ((NotTaxed) outcome).reason()).isEqualTo(Reason.NO_SETTINGS);
    }

    @Test
    void shouldNameALateLineByTheMonthItBelongsToAndTheRunThatTakesIt() {
        assertThat(LINE.entryId()).isEqualTo("tax:acct-1:2026-10");
        assertThat(LINE.late()).isFalse();
        TaxLine late = new TaxLine("acct-1", OCTOBER, NOVEMBER, 5_000_000);
        assertThat(late.entryId()).isEqualTo("tax:acct-1:2026-10:late:2026-11");
        assertThat(late.late()).isTrue();
        assertThatThrownBy(() -> new TaxLine("acct-1", NOVEMBER, OCTOBER, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** A sub-account moved to another agency within a month has a line in each agency's task: never one id. */
    @Test
    void shouldNameASubAccountsLinesByEachAgencyThatPaidThem() {
        TaxProfile california = TaxProfile.of("US", "CA", false);
        TaxLine viaA = new TaxLine("acct-sub", OCTOBER, OCTOBER, 1_000_000,
                Optional.of(new BilledToAgency("acct-agency-a", california)));
        TaxLine viaB = new TaxLine("acct-sub", OCTOBER, OCTOBER, 2_000_000,
                Optional.of(new BilledToAgency("acct-agency-b", california)));
        TaxLine lateViaB = new TaxLine("acct-sub", OCTOBER, NOVEMBER, 3_000_000,
                Optional.of(new BilledToAgency("acct-agency-b", california)));

        assertThat(viaA.entryId()).isEqualTo("tax:acct-sub:2026-10:via:acct-agency-a");
        assertThat(viaB.entryId()).isEqualTo("tax:acct-sub:2026-10:via:acct-agency-b");
        assertThat(lateViaB.entryId()).isEqualTo("tax:acct-sub:2026-10:via:acct-agency-b:late:2026-11");
        assertThat(new TaxLine("acct-sub", OCTOBER, OCTOBER, 1_000_000).entryId()).isEqualTo("tax:acct-sub:2026-10");
    }

    @Test
    void shouldRefuseATaxRateOutOfRangeOrUnderAnotherKey() {
        assertThat(TaxRateRules.refusal("US-CA", "US-CA", 72_500)).isEmpty();
        assertThat(TaxRateRules.refusal("US-CA", "US-CA", 0)).isEmpty();
        assertThat(TaxRateRules.refusal("US-CA", "US-CA", -1)).get().asString().contains("ratePpm");
        assertThat(TaxRateRules.refusal("US-CA", "US-CA", 1_000_001)).isPresent();
        assertThat(TaxRateRules.refusal("US-CA", "US-TX", 62_500)).get().asString().contains("not the record's");
    }

    private static Reason reason(Optional<TaxProfile> profile) {
        TaxOutcome outcome = TaxRun.assess(LINE, profile, RATES);
        assertThat(outcome).isInstanceOf(NotTaxed.class);
        return ((NotTaxed) outcome).reason();
    }
}
