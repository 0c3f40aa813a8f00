package dev.meterflow.api.settings;

import dev.meterflow.api.ApiException;
import dev.meterflow.payments.SubAccountPayments;
import java.util.Locale;
import java.util.Optional;

/**
 * The settings of a sub-account that its agency decides (issue 10, section 5). The metering app stores a
 * sub-account's own payment methods, auto recharge and plan-fee opt-in but never applies them: its usage is debited
 * from the agency's balance, which the agency's auto recharge and payment methods pay, and its plan fee is charged
 * as the agency's opt-in says. A change to them would be saved and do nothing, so the JSON API and the Billing
 * Settings page both refuse it with these words. Pure.
 */
public final class SubAccountSettings {

    /** The error code, the one a sub-account's payment is refused with. */
    public static final String CODE = SubAccountPayments.REASON.toLowerCase(Locale.ROOT);

    /** The parts of the settings the agency's own replace for its sub-accounts. */
    public enum Part {
        PAYMENT_METHODS, AUTO_RECHARGE, PLAN_FEE
    }

    private SubAccountSettings() {
    }

    /** Why the account may not change {@code part}, or empty when it pays for itself. */
    public static Optional<String> refusal(Part part, String accountId, String parentAccountId) {
        if (parentAccountId == null || parentAccountId.isBlank()) {
            return Optional.empty();
        }
        String billedTo = "'" + accountId + "' is billed to its agency '" + parentAccountId + "': ";
        return Optional.of(billedTo + switch (part) {
            case PAYMENT_METHODS, AUTO_RECHARGE -> "the agency's auto recharge and payment methods pay for its usage,"
                    + " so it has none of its own to change. An agency admin changes them on the agency's account.";
            case PLAN_FEE -> "its plan fee is paid as the agency's opt-in for direct charge says, so it has no plan"
                    + " fee payment of its own to change. An agency admin changes it on the agency's account.";
        });
    }

    /** Refuses (409) a change to {@code part} of a sub-account's settings. */
    public static void requireOwn(Part part, String accountId, String parentAccountId) {
        refusal(part, accountId, parentAccountId).ifPresent(refusal -> {
            throw new ApiException(409, CODE, refusal);
        });
    }
}
