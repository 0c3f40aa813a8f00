package dev.meterflow.api.page;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Issue 12: a sub-account's page has no payment method, auto recharge or plan fee forms of its own. */
class SubAccountFormsTest {

    @Test
    void shouldLetAnAccountWithoutAnAgencyChangeItsOwn() {
        assertThat(SubAccountForms.refusal("acme", null)).isEmpty();
        assertThat(SubAccountForms.refusal("acme", " ")).isEmpty();
    }

    @Test
    void shouldSendASubAccountToItsAgency() {
        assertThat(SubAccountForms.refusal("agency-sub-1", "agency")).contains("'agency-sub-1' is billed to its"
                + " agency 'agency': the agency's auto recharge and payment methods pay for its usage, so it has none"
                + " of its own to change. An agency admin changes them on the agency's page.");
    }

    @Test
    void shouldSendASubAccountsPlanFeeOptInToItsAgency() {
        assertThat(SubAccountForms.planFeeRefusal("acme", null)).isEmpty();
        assertThat(SubAccountForms.planFeeRefusal("agency-sub-1", "agency")).contains("'agency-sub-1' is billed to"
                + " its agency 'agency': its plan fee is paid as the agency's opt-in for direct charge says, so it has"
                + " no plan fee payment of its own to change. An agency admin changes it on the agency's page.");
    }
}
