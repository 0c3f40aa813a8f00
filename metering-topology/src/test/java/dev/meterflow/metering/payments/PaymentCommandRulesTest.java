package dev.meterflow.metering.payments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterflow.metering.ledger.AccountState;
import dev.meterflow.metering.ledger.AutoRechargePolicy;
import dev.meterflow.metering.ledger.BillingSettings;
import dev.meterflow.metering.ledger.PaymentMethod;
import dev.meterflow.metering.payments.PaymentRefusal.Reason;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The rules of Make a Payment (issue 10, §1), without Kafka. */
class PaymentCommandRulesTest {

    private static final String ACCOUNT = "acct-1";
    private static final PaymentMethod VISA = card("pm_visa", "visa", PaymentMethod.Role.PRIMARY);
    private static final PaymentMethod AMEX = card("pm_amex", "amex", PaymentMethod.Role.BACKUP);
    private static final PaymentMethod DINERS = card("pm_diners", "diners", PaymentMethod.Role.OTHER);
    private static final PaymentMethod BANK = new PaymentMethod("pm_bank", "cus_1", PaymentMethod.Type.ACH, "bank",
            "6789", PaymentMethod.Role.OTHER);

    private final PaymentCommandRules rules = new PaymentCommandRules(1_000_000);
    private final BillingSettings settings = settings(List.of(DINERS, AMEX, VISA));

    @Test
    void shouldAcceptAPaymentOfExactlyTheLimitsOnTheChargeableMethodsInOrder() {
        assertThat(rules.check(ACCOUNT, payment(50, null), settings, null, false))
                .isEqualTo(new PaymentCommandRules.Accepted(List.of(VISA, AMEX)));
        assertThat(rules.check(ACCOUNT, payment(1_000_000, "pm_amex"), settings, null, false))
                .isEqualTo(new PaymentCommandRules.Accepted(List.of(AMEX)));
    }

    @ParameterizedTest
    @ValueSource(longs = {49, 0, -1, Long.MIN_VALUE})
    void shouldRefuseAmountsUnderFiftyCents(long amountCents) {
        assertThat(reason(payment(amountCents, null), settings, null, false)).isEqualTo(Reason.AMOUNT_TOO_SMALL);
    }

    @Test
    void shouldAcceptABankAccountChosenOrInItsRoleForAOneTimePayment() {
        PaymentMethod bank = new PaymentMethod("pm_bank", "cus_1", PaymentMethod.Type.ACH, "bank", "6789",
                PaymentMethod.Role.BACKUP);
        BillingSettings withBank = settings(List.of(DINERS, AMEX, bank, VISA));

        assertThat(rules.check(ACCOUNT, payment(500, "pm_bank"), withBank, null, false))
                .isEqualTo(new PaymentCommandRules.Accepted(List.of(bank)));
        assertThat(rules.check(ACCOUNT, payment(500, null), withBank, null, false))
                .isEqualTo(new PaymentCommandRules.Accepted(List.of(VISA, AMEX, bank)));
    }

    @Test
    void shouldRefuseAPaymentOnASubAccountWhoseUsageItsAgencyPays() {
        // issue 10 §5: the sub-account's own balance pays for nothing, so crediting it would strand the money
        BillingSettings subAccount = new BillingSettings(ACCOUNT, "plan", "acct-agency", AutoRechargePolicy.disabled(0),
                List.of(VISA), List.of("billing@acct-1.example"), null);

        assertThat(rules.check(ACCOUNT, payment(500, null), subAccount, null, false))
                .isEqualTo(new PaymentCommandRules.Refused(new PaymentRefusal(Reason.SUB_ACCOUNT_PAYS_VIA_PARENT,
                        "This account's usage is paid from its agency's balance ('acct-agency'): make the payment"
                                + " on the agency's account.")));
    }

    @Test
    void shouldNeverChargeACardExpiredWhenThePaymentWasAskedFor() {
        // issue 10 §6: a card valid through October 2026, paid for on the 1st of November
        PaymentMethod expired = new PaymentMethod("pm_old_visa", "cus_1", PaymentMethod.Type.CARD, "visa", "4242",
                PaymentMethod.Role.PRIMARY, 10, 2026);
        BillingSettings withExpired = settings(List.of(expired, AMEX));
        long november = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();
        long october = Instant.parse("2026-10-31T23:59:59Z").toEpochMilli();

        assertThat(rules.check(ACCOUNT, new MakePayment("cmd-1", ACCOUNT, 500, "pm_old_visa", november), withExpired,
                null, false)).isEqualTo(new PaymentCommandRules.Refused(new PaymentRefusal(Reason.METHOD_EXPIRED,
                        "The chosen card expired at the end of 10/2026: update its expiry or choose another payment"
                                + " method.")));
        assertThat(rules.check(ACCOUNT, new MakePayment("cmd-1", ACCOUNT, 500, null, november), withExpired, null,
                false)).isEqualTo(new PaymentCommandRules.Accepted(List.of(AMEX)));
        assertThat(rules.check(ACCOUNT, new MakePayment("cmd-1", ACCOUNT, 500, "pm_old_visa", october), withExpired,
                null, false)).isEqualTo(new PaymentCommandRules.Accepted(List.of(expired)));
        assertThat(reason(new MakePayment("cmd-1", ACCOUNT, 500, null, november), settings(List.of(expired)), null,
                false)).isEqualTo(Reason.NO_USABLE_PAYMENT_METHOD);
    }

    @Test
    void shouldRefuseAnAmountAboveTheCap() {
        assertThat(reason(payment(1_000_001, null), settings, null, false)).isEqualTo(Reason.AMOUNT_ABOVE_LIMIT);
    }

    @Test
    void shouldRefuseWhatWasAlreadyHandledBeforeAnythingElse() {
        assertThat(reason(payment(-5, "pm_nope"), null, null, true)).isEqualTo(Reason.DUPLICATE_COMMAND);
    }

    @Test
    void shouldRefuseAnUnknownAccountAChosenMethodNotOnItOrNotChargeable() {
        assertThat(reason(payment(500, null), null, null, false)).isEqualTo(Reason.UNKNOWN_ACCOUNT);
        assertThat(reason(payment(500, "pm_other"), settings, null, false)).isEqualTo(Reason.METHOD_NOT_ON_ACCOUNT);
        assertThat(reason(payment(500, "pm_diners"), settings, null, false)).isEqualTo(Reason.METHOD_NOT_ACCEPTED);
        assertThat(reason(payment(500, null), settings(List.of(DINERS)), null, false))
                .isEqualTo(Reason.NO_USABLE_PAYMENT_METHOD);
    }

    @Test
    void shouldRefuseIllFormedIdsAndAnotherAccountsCommand() {
        assertThat(reason(new MakePayment(" ", ACCOUNT, 500, null, 0), settings, null, false))
                .isEqualTo(Reason.INVALID_COMMAND);
        assertThat(reason(new MakePayment("x".repeat(256), ACCOUNT, 500, null, 0), settings, null, false))
                .isEqualTo(Reason.INVALID_COMMAND);
        assertThat(reason(new MakePayment("cmd", "acct-2", 500, null, 0), settings, null, false))
                .isEqualTo(Reason.KEY_MISMATCH);
    }

    @Test
    void shouldRefuseATwentyFirstCardPaymentWaiting() {
        AccountState state = withOpenPayments(PaymentCommandRules.MAX_OPEN_PAYMENTS, false);

        assertThat(reason(payment(500, null), settings, state, false)).isEqualTo(Reason.TOO_MANY_OPEN_PAYMENTS);
        assertThat(rules.check(ACCOUNT, payment(500, null), settings, state.withoutOpenPayment("pay-3"), false))
                .isInstanceOf(PaymentCommandRules.Accepted.class);
    }

    /**
     * Issue 12: bank payments counted against the 20 open payments. A bank debit waits days for the bank, so an
     * account with bank payments settling could not pay by card, even paused; each kind now has its own bound.
     */
    @Test
    void shouldLetAnAccountPayByCardWhileItsBankPaymentsSettle() {
        BillingSettings withBank = settings(List.of(VISA, BANK));
        AccountState settling = withOpenPayments(PaymentCommandRules.MAX_OPEN_BANK_PAYMENTS, true);

        assertThat(rules.check(ACCOUNT, payment(500, "pm_visa"), withBank, settling, false))
                .isEqualTo(new PaymentCommandRules.Accepted(List.of(VISA)));
        assertThat(rules.check(ACCOUNT, payment(500, "pm_bank"), withBank, settling, false))
                .isEqualTo(new PaymentCommandRules.Refused(new PaymentRefusal(Reason.TOO_MANY_OPEN_BANK_PAYMENTS,
                        "You already have 20 payments from a bank account waiting for the bank, which takes up to 4"
                                + " business days: choose a card to pay now, or wait for one of them to settle.")));
        assertThat(reason(payment(500, null), withBank, settling, false))
                .as("a payment that may fall back on the bank account counts among the bank's")
                .isEqualTo(Reason.TOO_MANY_OPEN_BANK_PAYMENTS);
        assertThat(rules.check(ACCOUNT, payment(500, "pm_bank"), withBank, settling.withoutOpenPayment("pay-0"),
                false)).isEqualTo(new PaymentCommandRules.Accepted(List.of(BANK)));
    }

    @Test
    void shouldLetAnAccountPayFromItsBankAccountWhileCardPaymentsWait() {
        AccountState waiting = withOpenPayments(PaymentCommandRules.MAX_OPEN_PAYMENTS, false);

        assertThat(rules.check(ACCOUNT, payment(500, "pm_bank"), settings(List.of(VISA, BANK)), waiting, false))
                .isEqualTo(new PaymentCommandRules.Accepted(List.of(BANK)));
    }

    @Test
    void shouldDeriveRequestIdsTheWorkerAcceptsWhateverTheCommandId() {
        List<String> ids = IntStream.range(0, 100).mapToObj(i -> new MakePayment("c".repeat(255 - i) + i, ACCOUNT,
                500, null, 0).requestId()).toList();

        assertThat(ids).doesNotHaveDuplicates().allSatisfy(id -> assertThat(id).hasSize(("pay-" + ACCOUNT + "-")
                .length() + 16).matches("[A-Za-z0-9-]+"));
    }

    private Reason reason(MakePayment command, BillingSettings accountSettings, AccountState state, boolean handled) {
        PaymentCommandRules.Outcome outcome = rules.check(ACCOUNT, command, accountSettings, state, handled);
        assertThat(outcome).isInstanceOf(PaymentCommandRules.Refused.class);
        PaymentRefusal refusal = ((PaymentCommandRules.Refused) outcome).refusal();
        assertThat(refusal.message()).isNotBlank();
        return refusal.reason();
    }

    private static AccountState withOpenPayments(int count, boolean offersBankAccount) {
        AccountState state = AccountState.opening();
        for (int i = 0; i < count; i++) {
            state = state.withOpenPayment(new AccountState.OpenPayment("pay-" + i, "cmd-" + i, 500, 0,
                    offersBankAccount));
        }
        return state;
    }

    private static MakePayment payment(long amountCents, String paymentMethodId) {
        return new MakePayment("cmd-1", ACCOUNT, amountCents, paymentMethodId, 0);
    }

    private static BillingSettings settings(List<PaymentMethod> methods) {
        return new BillingSettings(ACCOUNT, "plan", null, AutoRechargePolicy.disabled(0), methods,
                List.of("billing@acct-1.example"), null);
    }

    private static PaymentMethod card(String id, String brand, PaymentMethod.Role role) {
        return new PaymentMethod(id, "cus_1", PaymentMethod.Type.CARD, brand, "4242", role);
    }
}
