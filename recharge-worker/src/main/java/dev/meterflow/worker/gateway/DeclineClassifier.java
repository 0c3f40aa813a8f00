package dev.meterflow.worker.gateway;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which declines are final for a card, in one table, from Stripe's decline codes
 * (https://docs.stripe.com/declines/codes) and the card networks' retry rules (Visa's and Mastercard's
 * "do not retry" categories). A hard decline means the card is not charged again: the worker remembers the
 * payment method id and skips it in every later request; a soft one may succeed later (within the retry limits
 * of {@link dev.meterflow.worker.recharge.SoftDeclineLimits}).
 *
 * <table>
 *   <caption>Hard: the issuer will not approve this card, whatever the retry</caption>
 *   <tr><td>lost, stolen, fraud</td><td>lost_card, stolen_card, pickup_card, fraudulent, merchant_blacklist,
 *       security_violation</td></tr>
 *   <tr><td>card or account invalid or closed</td><td>invalid_account, invalid_number, incorrect_number,
 *       expired_card, invalid_expiry_month, invalid_expiry_year, card_not_supported, currency_not_supported,
 *       restricted_card, new_account_information_available</td></tr>
 *   <tr><td>customer revoked or stopped payment</td><td>stop_payment_order, revocation_of_authorization,
 *       revocation_of_all_authorizations, transaction_not_allowed, not_permitted, service_not_allowed</td></tr>
 *   <tr><td>needs the customer present (off-session charge)</td><td>authentication_required,
 *       incorrect_cvc, invalid_cvc, incorrect_pin, pin_try_exceeded, offline_pin_required,
 *       online_or_offline_pin_required, incorrect_zip, call_issuer</td></tr>
 *   <tr><td>test mode</td><td>testmode_decline</td></tr>
 *   <tr><td>bank account (ACH) returned: closed, not found, invalid, frozen, owner deceased, debit not
 *       authorized or authorization revoked (NACHA return codes, and Stripe's decline codes for them)</td>
 *       <td>R02, R03, R04, R05, R07, R08, R10, R11, R12, R14, R15, R16, R20, R29; bank_account_closed,
 *       bank_account_invalid_details, bank_account_frozen, bank_account_restricted, recipient_deceased,
 *       debit_not_authorized</td></tr>
 * </table>
 * Soft: insufficient_funds, try_again_later, processing_error, issuer_not_available, reenter_transaction,
 * generic_decline, do_not_honor, card_velocity_exceeded, withdrawal_count_limit_exceeded, approve_with_id,
 * duplicate_transaction, no_action_taken, the bank returns R01 (insufficient funds) and R09 (uncollected funds),
 * which NACHA lets a debit be presented again for, and any code not listed here (a new code is not a reason to
 * blacklist a card).
 */
public final class DeclineClassifier {

    private static final Set<String> HARD = Set.of(
            "lost_card", "stolen_card", "pickup_card", "fraudulent", "merchant_blacklist", "security_violation",
            "invalid_account", "invalid_number", "incorrect_number", "expired_card", "invalid_expiry_month",
            "invalid_expiry_year", "card_not_supported", "currency_not_supported", "restricted_card",
            "new_account_information_available",
            "stop_payment_order", "revocation_of_authorization", "revocation_of_all_authorizations",
            "transaction_not_allowed", "not_permitted", "service_not_allowed",
            "authentication_required", "incorrect_cvc", "invalid_cvc", "incorrect_pin", "pin_try_exceeded",
            "offline_pin_required", "online_or_offline_pin_required", "incorrect_zip", "call_issuer",
            "testmode_decline",
            "bank_account_closed", "bank_account_invalid_details", "bank_account_frozen", "bank_account_restricted",
            "recipient_deceased", "debit_not_authorized");

    /**
     * ACH return codes (NACHA) after which the bank account is not debited again: the account is closed, cannot be
     * found or used, or its owner did not authorise the debit (a new mandate is needed).
     */
    private static final Set<String> HARD_RETURN_CODES = Set.of(
            "R02", "R03", "R04", "R05", "R07", "R08", "R10", "R11", "R12", "R14", "R15", "R16", "R20", "R29");

    /** ACH return codes that a later debit may clear: insufficient and uncollected funds. */
    static final Set<String> SOFT_RETURN_CODES = Set.of("R01", "R09");

    /** Documented soft codes; anything else unknown is treated as soft too. */
    static final Set<String> SOFT = Set.of(
            "insufficient_funds", "try_again_later", "processing_error", "issuer_not_available",
            "reenter_transaction", "generic_decline", "do_not_honor", "card_velocity_exceeded",
            "withdrawal_count_limit_exceeded", "approve_with_id", "duplicate_transaction", "no_action_taken");

    /** Stripe's error codes that stand for a specific decline when no decline_code is given. */
    private static final Map<String, String> CODE_AS_DECLINE = Map.of(
            "expired_card", "expired_card",
            "incorrect_cvc", "incorrect_cvc",
            "invalid_cvc", "invalid_cvc",
            "incorrect_number", "incorrect_number",
            "invalid_number", "invalid_number",
            "invalid_expiry_month", "invalid_expiry_month",
            "invalid_expiry_year", "invalid_expiry_year",
            "processing_error", "processing_error",
            "authentication_required", "authentication_required");

    private DeclineClassifier() {
    }

    /**
     * The decline code that counts: the decline code when the gateway gave one, otherwise the error code
     * when it names a specific decline ({@code expired_card}), otherwise {@code generic_decline}.
     */
    public static String declineCode(String errorCode, String declineCode) {
        if (declineCode != null && !declineCode.isBlank()) {
            return declineCode.toLowerCase(Locale.ROOT);
        }
        if (errorCode != null) {
            String specific = CODE_AS_DECLINE.get(errorCode.toLowerCase(Locale.ROOT));
            if (specific != null) {
                return specific;
            }
        }
        return "generic_decline";
    }

    /**
     * The decline code of a returned bank debit: the NACHA return code the bank gave ({@code R01}), upper-case as
     * NACHA writes it, or the gateway's own decline code when it gave no return code.
     */
    public static String bankReturnCode(String networkReturnCode, String errorCode, String declineCode) {
        if (networkReturnCode != null && !networkReturnCode.isBlank()) {
            return networkReturnCode.strip().toUpperCase(Locale.ROOT);
        }
        return declineCode(errorCode, declineCode);
    }

    /** Hard or soft; an unknown or missing code is soft. */
    public static GatewayAnswer.Kind classify(String declineCode) {
        return isHard(declineCode) ? GatewayAnswer.Kind.DECLINED_HARD : GatewayAnswer.Kind.DECLINED_SOFT;
    }

    public static boolean isHard(String declineCode) {
        return declineCode != null && (HARD.contains(declineCode.toLowerCase(Locale.ROOT))
                || HARD_RETURN_CODES.contains(declineCode.toUpperCase(Locale.ROOT)));
    }
}
