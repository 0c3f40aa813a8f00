package dev.meterflow.metering.payments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterflow.metering.ledger.AutoRechargePolicy;
import dev.meterflow.metering.ledger.BillingSettings;
import dev.meterflow.metering.ledger.PaymentMethod;
import dev.meterflow.metering.pricing.PricingOutcome;
import dev.meterflow.metering.pricing.Usage;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which usage is charged directly as a plan fee (issue 10, §3), for how much and on which methods; no Kafka. */
class PlanFeeRulesTest {

    private static final String ACCOUNT = "acct-1";
    private static final String EVENT = "ev-fee-2025-03";
    private static final PaymentMethod VISA = method("pm_visa", "visa", PaymentMethod.Type.CARD,
            PaymentMethod.Role.PRIMARY);
    private static final PaymentMethod BANK = method("pm_bank", "bank", PaymentMethod.Type.ACH,
            PaymentMethod.Role.BACKUP);
    private static final PaymentMethod AMEX = method("pm_amex", "amex", PaymentMethod.Type.CARD,
            PaymentMethod.Role.OTHER);
    private static final PaymentMethod DINERS = method("pm_diners", "diners", PaymentMethod.Type.CARD,
            PaymentMethod.Role.PRIMARY);
    private static final PaymentMethod PAYPAL = method("pm_paypal", "PayPal", PaymentMethod.Type.CARD,
            PaymentMethod.Role.BACKUP);

    @Test
    void shouldChargeAnOptedInPlanFeeToPrimaryThenBackupBankAccountsIncluded() {
        assertThat(PlanFeeRules.directCharge(settings(true, List.of(AMEX, BANK, VISA)), fee(49_000_000, true)))
                .contains(new PlanFeeRules.DirectCharge(PlanFeeRules.requestIdOf(ACCOUNT, EVENT), 4_900,
                        List.of(VISA, BANK)));
    }

    @Test
    void shouldNotOfferACardExpiredWhenTheFeeWasDue() {
        // issue 10 §6: the fee of an event at the epoch; a card that expired before it is passed over
        PaymentMethod expired = new PaymentMethod("pm_old_visa", "cus_1", PaymentMethod.Type.CARD, "visa", "4242",
                PaymentMethod.Role.PRIMARY, 12, 1969);

        assertThat(PlanFeeRules.directCharge(settings(true, List.of(expired, BANK)), fee(49_000_000, true)))
                .map(PlanFeeRules.DirectCharge::paymentMethods).contains(List.of(BANK));
        assertThat(PlanFeeRules.directCharge(settings(true, List.of(expired)), fee(49_000_000, true))).isEmpty();
    }

    @Test
    void shouldDebitWhatIsNotAPlanFeeOrOfAnAccountNotOptedIn() {
        assertThat(PlanFeeRules.directCharge(settings(true, List.of(VISA)), fee(49_000_000, false))).isEmpty();
        assertThat(PlanFeeRules.directCharge(settings(false, List.of(VISA)), fee(49_000_000, true))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 490_000, 49_000_001, 12_345})
    void shouldDebitAFeeUnderTheCardMinimumOrNotInWholeCents(long amountMicros) {
        assertThat(PlanFeeRules.directCharge(settings(true, List.of(VISA)), fee(amountMicros, true))).isEmpty();
    }

    @Test
    void shouldChargeAFeeOfExactlyTheCardMinimum() {
        assertThat(PlanFeeRules.directCharge(settings(true, List.of(VISA)), fee(500_000, true)))
                .map(PlanFeeRules.DirectCharge::amountCents).contains(50L);
    }

    @Test
    void shouldDebitWhenNoPrimaryOrBackupMethodCanBeCharged() {
        assertThat(PlanFeeRules.directCharge(settings(true, List.of(DINERS, PAYPAL, AMEX)), fee(49_000_000, true)))
                .isEmpty();
        assertThat(PlanFeeRules.directCharge(settings(true, List.of()), fee(49_000_000, true))).isEmpty();
    }

    @Test
    void shouldDeriveTheRequestIdFromTheAccountAndTheEventOnly() {
        assertThat(PlanFeeRules.requestIdOf(ACCOUNT, EVENT)).isEqualTo(PlanFeeRules.requestIdOf(ACCOUNT, EVENT))
                .startsWith("fee-" + ACCOUNT + "-")
                .isNotEqualTo(PlanFeeRules.requestIdOf("acct-2", EVENT))
                .isNotEqualTo(PlanFeeRules.requestIdOf(ACCOUNT, "ev-fee-2025-04"));
        assertThat(PlanFeeRules.requestIdOf(ACCOUNT, "an event id with spaces and\ttabs")).doesNotContainAnyWhitespaces();
    }

    private static PricingOutcome.Priced fee(long amountMicros, boolean planFee) {
        return new PricingOutcome.Priced(new Usage(EVENT, ACCOUNT, "plan.pro.monthly", 1, 0), "plan-pro", 1,
                amountMicros, planFee);
    }

    private static BillingSettings settings(boolean directChargePlanFee, List<PaymentMethod> methods) {
        return new BillingSettings(ACCOUNT, "plan-pro", null, AutoRechargePolicy.disabled(0), methods,
                List.of("billing@acct-1.example"), null, directChargePlanFee);
    }

    private static PaymentMethod method(String id, String brand, PaymentMethod.Type type, PaymentMethod.Role role) {
        return new PaymentMethod(id, "cus_1", type, brand, "4242", role);
    }
}
