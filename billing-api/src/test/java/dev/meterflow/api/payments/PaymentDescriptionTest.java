package dev.meterflow.api.payments;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Issue 11: a payment history line says what a charge paid for and what it did to the prepaid balance. */
class PaymentDescriptionTest {

    @Test
    void shouldSayAPlanFeePaidByCardLeavesTheBalanceAsItWas() {
        assertThat(PaymentDescription.of("PLAN_FEE_DIRECT", "SUCCEEDED", 4_500, "visa", "4242", "pm_card_visa"))
                .isEqualTo("Plan fee $45.00, paid by Visa ending 4242; the prepaid balance is unchanged");
    }

    @Test
    void shouldSayARechargeWasAddedToTheBalance() {
        assertThat(PaymentDescription.of("AUTO_RECHARGE", "SUCCEEDED", 3_500, "mastercard", "4444", "pm_1"))
                .isEqualTo("Automatic recharge $35.00, paid by Mastercard ending 4444, added to the prepaid balance");
    }

    @Test
    void shouldNameTheMethodByItsTokenWithoutAReceipt() {
        assertThat(PaymentDescription.of("ONE_TIME_PAYMENT", "SUCCEEDED", 2_000, null, null, "pm_bank"))
                .isEqualTo("Payment $20.00, paid by pm_bank, added to the prepaid balance");
    }

    @Test
    void shouldSayAPlanFeeNoMethodPaidIsDebitedFromTheBalance() {
        assertThat(PaymentDescription.of("PLAN_FEE_DIRECT", "DECLINED", 4_500, null, null, null))
                .isEqualTo("Plan fee $45.00 not charged; debited from the prepaid balance instead");
    }
}
