package dev.meterflow.metering.recharge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterflow.metering.ledger.PaymentMethod;
import dev.meterflow.metering.ledger.PaymentMethod.Role;
import dev.meterflow.metering.ledger.PaymentMethod.Type;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which payment methods a request offers the worker (issue 10, §2: bank accounts settle in days). */
class RechargePolicyMethodsTest {

    private static final long NOW_MILLIS = Instant.parse("2026-11-30T12:00:00Z").toEpochMilli();
    private static final PaymentMethod BANK = method("pm_bank", Type.ACH, "bank", Role.PRIMARY);
    private static final PaymentMethod VISA = method("pm_visa", Type.CARD, "visa", Role.BACKUP);
    private static final PaymentMethod DINERS = method("pm_diners", Type.CARD, "diners", Role.OTHER);
    private static final PaymentMethod AMEX = method("pm_amex", Type.CARD, "amex", Role.OTHER);

    @Test
    void shouldNeverOfferABankAccountToAnAutomaticRecharge() {
        assertThat(RechargePolicy.methodsInOrder(List.of(AMEX, DINERS, VISA, BANK), NOW_MILLIS))
                .containsExactly(VISA, AMEX);
        assertThat(RechargePolicy.methodsInOrder(List.of(BANK), NOW_MILLIS)).isEmpty();
    }

    @Test
    void shouldOfferABankAccountInItsRoleToAPaymentTheAccountAskedFor() {
        assertThat(RechargePolicy.directChargeMethodsInOrder(List.of(AMEX, DINERS, VISA, BANK), NOW_MILLIS))
                .containsExactly(BANK, VISA, AMEX);
    }

    @Test
    void shouldNeverOfferACardPastItsExpiryMonthToAnyCharge() {
        // issue 10 §6: a card valid through November 2026 is offered on its last day, not once December begins
        PaymentMethod expiresThisMonth = new PaymentMethod("pm_visa", "cus_1", Type.CARD, "visa", "4242",
                Role.PRIMARY, 11, 2026);
        PaymentMethod expiredLastMonth = new PaymentMethod("pm_mc", "cus_1", Type.CARD, "mastercard", "4444",
                Role.BACKUP, 10, 2026);
        long december = Instant.parse("2026-12-01T00:00:00Z").toEpochMilli();

        assertThat(RechargePolicy.methodsInOrder(List.of(expiresThisMonth, expiredLastMonth, AMEX), NOW_MILLIS))
                .containsExactly(expiresThisMonth, AMEX);
        assertThat(RechargePolicy.directChargeMethodsInOrder(List.of(expiresThisMonth, expiredLastMonth, BANK),
                december)).containsExactly(BANK);
    }

    private static PaymentMethod method(String id, Type type, String brand, Role role) {
        return new PaymentMethod(id, "cus_1", type, brand, "6789", role);
    }
}
