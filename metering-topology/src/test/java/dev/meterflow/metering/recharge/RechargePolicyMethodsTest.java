package dev.meterflow.metering.recharge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterflow.metering.ledger.PaymentMethod;
import dev.meterflow.metering.ledger.PaymentMethod.Role;
import dev.meterflow.metering.ledger.PaymentMethod.Type;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which payment methods a request offers the worker (issue 10, §2: bank accounts settle in days). */
class RechargePolicyMethodsTest {

    private static final PaymentMethod BANK = method("pm_bank", Type.ACH, "bank", Role.PRIMARY);
    private static final PaymentMethod VISA = method("pm_visa", Type.CARD, "visa", Role.BACKUP);
    private static final PaymentMethod DINERS = method("pm_diners", Type.CARD, "diners", Role.OTHER);
    private static final PaymentMethod AMEX = method("pm_amex", Type.CARD, "amex", Role.OTHER);

    @Test
    void shouldNeverOfferABankAccountToAnAutomaticRecharge() {
        assertThat(RechargePolicy.methodsInOrder(List.of(AMEX, DINERS, VISA, BANK))).containsExactly(VISA, AMEX);
        assertThat(RechargePolicy.methodsInOrder(List.of(BANK))).isEmpty();
    }

    @Test
    void shouldOfferABankAccountInItsRoleToAPaymentTheAccountAskedFor() {
        assertThat(RechargePolicy.directChargeMethodsInOrder(List.of(AMEX, DINERS, VISA, BANK)))
                .containsExactly(BANK, VISA, AMEX);
    }

    private static PaymentMethod method(String id, Type type, String brand, Role role) {
        return new PaymentMethod(id, "cus_1", type, brand, "6789", role);
    }
}
