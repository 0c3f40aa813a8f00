package dev.meterflow.api.payments;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Issue 11: a negative or oversized payment is refused in words before anything is written. */
class PaymentAmountTest {

    @Test
    void shouldPayFromOneCentToTheCapOfOneRecharge() {
        assertThat(PaymentAmount.problem(1)).isEmpty();
        assertThat(PaymentAmount.problem(1_000_000)).isEmpty();
    }

    @Test
    void shouldRefuseNothingNegativeAndMoreThanTenThousandDollars() {
        assertThat(PaymentAmount.problem(0)).contains("the payment amount must be more than $0.00.");
        assertThat(PaymentAmount.problem(-500)).contains("the payment amount must be more than $0.00.");
        assertThat(PaymentAmount.problem(1_000_001)).contains("the payment amount must be at most $10,000.00.");
        assertThat(PaymentAmount.problem(Long.MAX_VALUE)).isPresent();
    }
}
