package dev.meterflow.payments;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Issue 10 §5: a sub-account pays through its agency, so a payment of its own is refused with a reason. */
class SubAccountPaymentsTest {

    @Test
    void shouldRefuseAPaymentOnASubAccountNamingItsAgency() {
        assertThat(SubAccountPayments.refusal("acct_agency_1")).contains("This account's usage is paid from its"
                + " agency's balance ('acct_agency_1'): make the payment on the agency's account.");
    }

    @Test
    void shouldLetAnAccountWithoutAnAgencyPay() {
        assertThat(SubAccountPayments.refusal(null)).isEmpty();
        assertThat(SubAccountPayments.refusal(" ")).isEmpty();
    }
}
