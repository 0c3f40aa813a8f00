package dev.meterflow.api.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meterflow.api.ApiException;
import dev.meterflow.api.settings.SubAccountSettings.Part;
import org.junit.jupiter.api.Test;

/**
 * Issue 12: a sub-account's payment methods, auto recharge and plan-fee opt-in are its agency's, for the page and
 * the JSON API alike.
 */
class SubAccountSettingsTest {

    @Test
    void shouldLetAnAccountWithoutAnAgencyChangeEveryPart() {
        for (Part part : Part.values()) {
            assertThat(SubAccountSettings.refusal(part, "acme", null)).as(part.name()).isEmpty();
            assertThat(SubAccountSettings.refusal(part, "acme", " ")).as(part.name()).isEmpty();
            assertThatCode(() -> SubAccountSettings.requireOwn(part, "acme", null)).doesNotThrowAnyException();
        }
    }

    @Test
    void shouldSendASubAccountsPaymentMethodsAndAutoRechargeToItsAgency() {
        String reason = "'agency-sub-1' is billed to its agency 'agency': the agency's auto recharge and payment"
                + " methods pay for its usage, so it has none of its own to change. An agency admin changes them on"
                + " the agency's account.";

        assertThat(SubAccountSettings.refusal(Part.PAYMENT_METHODS, "agency-sub-1", "agency")).contains(reason);
        assertThat(SubAccountSettings.refusal(Part.AUTO_RECHARGE, "agency-sub-1", "agency")).contains(reason);
    }

    @Test
    void shouldSendASubAccountsPlanFeeOptInToItsAgency() {
        assertThat(SubAccountSettings.refusal(Part.PLAN_FEE, "agency-sub-1", "agency")).contains("'agency-sub-1' is"
                + " billed to its agency 'agency': its plan fee is paid as the agency's opt-in for direct charge says,"
                + " so it has no plan fee payment of its own to change. An agency admin changes it on the agency's"
                + " account.");
    }

    @Test
    void shouldRefuseASubAccountsChangeAsAConflictWithThePaymentsCode() {
        assertThatThrownBy(() -> SubAccountSettings.requireOwn(Part.AUTO_RECHARGE, "agency-sub-1", "agency"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.code()).isEqualTo("sub_account_pays_via_parent");
                    assertThat(e.getMessage()).startsWith("'agency-sub-1' is billed to its agency 'agency'");
                });
    }
}
