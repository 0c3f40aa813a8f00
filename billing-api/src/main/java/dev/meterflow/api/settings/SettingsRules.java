package dev.meterflow.api.settings;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The billing settings' bounds, as a pure check that lists every problem in words. The pipeline has a validator
 * with the same rules; the two are meant to become one.
 */
public final class SettingsRules {

    public static final int MAX_BILLING_EMAILS = 10;
    public static final int MAX_EMAIL_LENGTH = 254;
    /** $10,000 in micros: the largest threshold, target, recharge or payment. */
    public static final long MAX_AMOUNT_MICROS = 10_000_000_000L;
    public static final Set<String> REFUSED_BRANDS = Set.of("paypal", "diners");

    private static final Pattern E164 = Pattern.compile("\\+[1-9]\\d{1,14}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    // 13-19 digits, alone or grouped by spaces or dashes: what a card number typed by mistake looks like
    private static final Pattern CARD_NUMBER = Pattern.compile("(?:\\d[ -]?){12,18}\\d");

    private SettingsRules() {
    }

    /** Problems of an auto-recharge setting; empty when it may be saved. Amounts are micros. */
    public static List<String> autoRecharge(String mode, long thresholdMicros, long targetMicros,
                                            long amountMicros) {
        List<String> problems = new ArrayList<>();
        if (!"TOP_UP_TO_TARGET".equals(mode) && !"FIXED_AMOUNT".equals(mode)) {
            problems.add("mode must be TOP_UP_TO_TARGET or FIXED_AMOUNT, was '" + mode + "'");
            return problems;
        }
        amount("threshold", thresholdMicros, problems);
        if ("TOP_UP_TO_TARGET".equals(mode)) {
            amount("target", targetMicros, problems);
            if (thresholdMicros > targetMicros) {
                problems.add("the threshold must not be above the target (recharges top up to the target)");
            }
        } else {
            amount("recharge amount", amountMicros, problems);
        }
        return problems;
    }

    /** Problems of a one-time payment's amount (micros). */
    public static List<String> payment(long amountMicros) {
        List<String> problems = new ArrayList<>();
        amount("payment amount", amountMicros, problems);
        return problems;
    }

    public static List<String> billingEmails(List<String> emails) {
        List<String> problems = new ArrayList<>();
        if (emails.size() > MAX_BILLING_EMAILS) {
            problems.add("at most " + MAX_BILLING_EMAILS + " billing emails, was " + emails.size());
        }
        for (String email : emails) {
            if (email == null || email.length() > MAX_EMAIL_LENGTH || !EMAIL.matcher(email).matches()) {
                problems.add("'" + email + "' is not an email address of at most " + MAX_EMAIL_LENGTH + " characters");
            }
        }
        return problems;
    }

    /** Null clears the phone; otherwise E.164, e.g. +14155550123. */
    public static List<String> criticalBillingPhone(String phone) {
        return phone == null || E164.matcher(phone).matches() ? List.of()
                : List.of("the critical billing phone must be in E.164 form such as +14155550123, was '" + phone + "'");
    }

    /** Problems of a payment method to add: a gateway token only, never a card number; no PayPal or Diners. */
    public static List<String> paymentMethod(String paymentMethodId, String brand, String last4) {
        List<String> problems = new ArrayList<>();
        if (paymentMethodId == null || !paymentMethodId.startsWith("pm_")) {
            problems.add("paymentMethodId must be a gateway token starting with pm_");
        }
        for (String field : new String[] {paymentMethodId, brand, last4}) {
            if (field != null && CARD_NUMBER.matcher(field).find()) {
                problems.add("that looks like a card number: send the gateway token (pm_...), never the number");
                break;
            }
        }
        if (brand != null && REFUSED_BRANDS.contains(brand.toLowerCase(Locale.ROOT))) {
            problems.add(("paypal".equalsIgnoreCase(brand) ? "PayPal" : "Diners Club")
                    + " is not accepted; add a Visa, Mastercard, American Express, Discover, JCB, UnionPay card or"
                    + " a bank account");
        }
        if (last4 == null || !last4.matches("\\d{4}")) {
            problems.add("last4 must be the last 4 digits");
        }
        return problems;
    }

    /** Auto-recharge needs at least one card it can charge: not ACH, not a refused brand. */
    public static List<String> usableMethod(boolean autoRechargeEnabled, List<String> cardBrands) {
        boolean usable = cardBrands.stream().anyMatch(brand -> !REFUSED_BRANDS.contains(brand)
                && !"bank".equals(brand));
        return autoRechargeEnabled && !usable
                ? List.of("auto-recharge needs at least one card it can charge; add a card first") : List.of();
    }

    private static void amount(String name, long micros, List<String> problems) {
        if (micros <= 0) {
            problems.add("the " + name + " must be more than $0.00");
        } else if (micros > MAX_AMOUNT_MICROS) {
            problems.add("the " + name + " must be at most $10,000.00");
        }
    }
}
