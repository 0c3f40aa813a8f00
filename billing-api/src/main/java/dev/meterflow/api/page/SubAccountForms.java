package dev.meterflow.api.page;

import java.util.Optional;

/**
 * What a sub-account's page leaves out: its usage is debited from its agency's balance, which the agency's auto
 * recharge and payment methods pay (issue 10, section 5), so the sub-account's own would never be used; its plan
 * fee goes to the agency the same way, charged to the agency's card or not as the agency's opt-in says. Pure.
 */
final class SubAccountForms {

    private SubAccountForms() {
    }

    /** Why the payment method and auto recharge forms do not apply to this account, or empty when they do. */
    static Optional<String> refusal(String accountId, String parentAccountId) {
        if (parentAccountId == null || parentAccountId.isBlank()) {
            return Optional.empty();
        }
        return Optional.of("'" + accountId + "' is billed to its agency '" + parentAccountId + "': the agency's"
                + " auto recharge and payment methods pay for its usage, so it has none of its own to change. An"
                + " agency admin changes them on the agency's page.");
    }

    /** Why the plan fee opt-in does not apply to this account, or empty when it does. */
    static Optional<String> planFeeRefusal(String accountId, String parentAccountId) {
        if (parentAccountId == null || parentAccountId.isBlank()) {
            return Optional.empty();
        }
        return Optional.of("'" + accountId + "' is billed to its agency '" + parentAccountId + "': its plan fee is"
                + " paid as the agency's opt-in for direct charge says, so it has no plan fee payment of its own to"
                + " change. An agency admin changes it on the agency's page.");
    }
}
