package dev.meterflow.payments;

import java.util.Optional;

/**
 * A one-time payment for a sub-account of an agency is refused (issue 10, §5): the sub-account's usage is debited
 * from its agency's balance, so money credited to the sub-account's own balance would never pay for anything. Pure,
 * and shared, so the billing API refuses it before writing the command with the words the pipeline uses.
 */
public final class SubAccountPayments {

    /** The reason code, on {@code payment-commands-rejected} and in the API's error. */
    public static final String REASON = "SUB_ACCOUNT_PAYS_VIA_PARENT";

    private SubAccountPayments() {
    }

    /** Why a payment on this account is refused, or empty when it is no sub-account. */
    public static Optional<String> refusal(String parentAccountId) {
        if (parentAccountId == null || parentAccountId.isBlank()) {
            return Optional.empty();
        }
        return Optional.of("This account's usage is paid from its agency's balance ('" + parentAccountId
                + "'): make the payment on the agency's account.");
    }
}
