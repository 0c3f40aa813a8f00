package dev.meterflow.settings;

import dev.meterflow.money.Money;
import dev.meterflow.schemas.AccountSettings;
import dev.meterflow.schemas.AutoRecharge;
import dev.meterflow.schemas.AutoRechargeMode;
import dev.meterflow.schemas.PaymentMethodRef;
import dev.meterflow.schemas.PaymentMethodType;
import dev.meterflow.settings.SettingsRefusal.Reason;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What account settings must satisfy before they are applied, wherever they enter (the metering pipeline, the
 * billing API): pure, so every entry point refuses the same settings with the same reason. The bounds also keep
 * every record derived from settings (state, recharge requests, notices) far below Kafka's record size limit.
 */
public final class SettingsRules {

    public static final int MAX_EMAILS = 10;
    /** RFC 5321's limit on a forward path. */
    public static final int MAX_EMAIL_LENGTH = 254;
    public static final int MAX_PAYMENT_METHODS = 10;
    public static final int MAX_ID_LENGTH = 255;
    /** The default cap of one recharge ({@code $10,000}). */
    public static final long DEFAULT_MAX_RECHARGE_MICROS = Money.dollarsToMicros(10_000);
    /** The billing rules: "No PayPal, no Diners Club." */
    public static final Set<String> REFUSED_BRANDS = Set.of("paypal", "diners");

    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+$");
    private static final Pattern E164 = Pattern.compile("^\\+[1-9][0-9]{6,14}$");
    /** A payment method id of bare digits is most likely a card number pasted where a token belongs. */
    private static final Pattern DIGITS_ONLY = Pattern.compile("^[0-9 -]{12,}$");
    /** 13 to 19 digits, alone or grouped by spaces or dashes, anywhere: a card number typed by mistake. */
    private static final Pattern CARD_NUMBER = Pattern.compile("(?:\\d[ -]?){12,18}\\d");
    private static final Pattern LAST4 = Pattern.compile("^[0-9]{4}$");

    private SettingsRules() {
    }

    /** The first rule these settings break, or empty when they may be applied. */
    public static Optional<SettingsRefusal> check(AccountSettings settings, long maxRechargeMicros) {
        return firstOf(ids(settings), contacts(settings), paymentMethods(settings.getPaymentMethods()),
                autoRecharge(settings.getAutoRecharge(), settings.getPaymentMethods(), maxRechargeMicros));
    }

    /** May an automatic recharge charge this method: a card, and not a brand the billing rules refuse. */
    public static boolean usableForAutoRecharge(PaymentMethodRef method) {
        if (method.getType() != PaymentMethodType.CARD) {
            return false;
        }
        String brand = method.getBrand() == null ? "" : method.getBrand().strip().toLowerCase(Locale.ROOT);
        // a legacy "Diners Club" must not slip through either
        return REFUSED_BRANDS.stream().noneMatch(brand::startsWith);
    }

    /**
     * What a payment method must satisfy to be added, on top of {@link #check}: a gateway token ({@code pm_...}),
     * nothing like a card number in any field, four last digits, and not a brand the billing rules refuse. Methods
     * already on record are not held to it, so settings saved before stay valid.
     */
    public static Optional<SettingsRefusal> newPaymentMethod(PaymentMethodRef method) {
        String id = method.getPaymentMethodId() == null ? "" : method.getPaymentMethodId();
        String brand = method.getBrand() == null ? "" : method.getBrand().strip().toLowerCase(Locale.ROOT);
        String last4 = method.getLast4() == null ? "" : method.getLast4();
        if (CARD_NUMBER.matcher(id + " " + brand + " " + last4).find()) {
            // never echo the fields: one of them holds what looks like a card number
            return refuse(Reason.INVALID_PAYMENT_METHOD, "That looks like a card number: send the gateway token"
                    + " (pm_...), never the number.");
        }
        if (!id.startsWith("pm_") || id.length() > MAX_ID_LENGTH) {
            return refuse(Reason.INVALID_PAYMENT_METHOD, "The payment method must be a gateway token starting with"
                    + " pm_.");
        }
        if (!LAST4.matcher(last4).matches()) {
            return refuse(Reason.INVALID_PAYMENT_METHOD, "last4 must be the last 4 digits of the card or account.");
        }
        if (REFUSED_BRANDS.stream().anyMatch(brand::startsWith)) {
            return refuse(Reason.REFUSED_BRAND, (brand.startsWith("paypal") ? "PayPal" : "Diners Club")
                    + " is not accepted; add a Visa, Mastercard, American Express, Discover, JCB or UnionPay card"
                    + " or a bank account.");
        }
        return Optional.empty();
    }

    private static Optional<SettingsRefusal> ids(AccountSettings settings) {
        return firstOf(id("account id", settings.getAccountId()), id("rate plan", settings.getRatePlanId()),
                settings.getParentAccountId() == null ? Optional.empty()
                        : id("parent account id", settings.getParentAccountId()));
    }

    private static Optional<SettingsRefusal> id(String what, String value) {
        if (value == null || value.isBlank()) {
            return refuse(Reason.BLANK_ID, "The " + what + " is missing.");
        }
        if (value.length() > MAX_ID_LENGTH) {
            return refuse(Reason.ID_TOO_LONG, "The " + what + " is longer than " + MAX_ID_LENGTH + " characters.");
        }
        return Optional.empty();
    }

    private static Optional<SettingsRefusal> contacts(AccountSettings settings) {
        List<String> emails = settings.getBillingEmails();
        if (emails.size() > MAX_EMAILS) {
            return refuse(Reason.TOO_MANY_EMAILS, "At most " + MAX_EMAILS + " billing emails, not " + emails.size()
                    + ".");
        }
        for (String email : emails) {
            if (email == null || email.length() > MAX_EMAIL_LENGTH || !EMAIL.matcher(email).matches()) {
                return refuse(Reason.INVALID_EMAIL, "'" + shorten(email) + "' is not an email address.");
            }
        }
        String phone = settings.getCriticalBillingPhone();
        if (phone != null && !E164.matcher(phone).matches()) {
            return refuse(Reason.INVALID_PHONE, "The critical billing phone '" + shorten(phone)
                    + "' must be in international form, like +14155550100.");
        }
        return Optional.empty();
    }

    private static Optional<SettingsRefusal> paymentMethods(List<PaymentMethodRef> methods) {
        if (methods.size() > MAX_PAYMENT_METHODS) {
            return refuse(Reason.TOO_MANY_PAYMENT_METHODS, "At most " + MAX_PAYMENT_METHODS
                    + " payment methods, not " + methods.size() + ".");
        }
        for (PaymentMethodRef method : methods) {
            String id = method.getPaymentMethodId();
            boolean bad = id == null || id.isBlank() || id.length() > MAX_ID_LENGTH
                    || DIGITS_ONLY.matcher(id).matches() || method.getCustomerId() == null
                    || method.getCustomerId().length() > MAX_ID_LENGTH || method.getBrand() == null
                    || method.getBrand().length() > MAX_ID_LENGTH || method.getLast4() == null
                    || method.getLast4().length() > 4;
            if (bad) {
                // never echo the id: it may be a card number
                return refuse(Reason.INVALID_PAYMENT_METHOD, "A payment method is not a gateway token with its"
                        + " customer, brand and last four digits.");
            }
            // an expired card is possible and kept (the issuer may renew it); an impossible expiry is a mistake
            Optional<String> expiry = CardExpiry.problem(method.getExpMonth(), method.getExpYear());
            if (expiry.isPresent()) {
                return refuse(Reason.INVALID_PAYMENT_METHOD, expiry.get());
            }
        }
        return Optional.empty();
    }

    private static Optional<SettingsRefusal> autoRecharge(AutoRecharge policy, List<PaymentMethodRef> methods,
                                                          long maxRechargeMicros) {
        if (policy.getThresholdMicros() < 0) {
            return refuse(Reason.NEGATIVE_THRESHOLD, "The threshold cannot be negative.");
        }
        if (!policy.getEnabled()) {
            return Optional.empty();
        }
        boolean topUp = policy.getMode() == AutoRechargeMode.TOP_UP_TO_TARGET;
        // a top-up charges target - balance, positive whenever it is due (the balance is under the threshold,
        // which is at most the target); a target of $0 pays back a debt. A fixed amount is charged as it is.
        long amount = topUp ? policy.getTargetMicros() : policy.getAmountMicros();
        String what = topUp ? "recharge-to target" : "recharge amount";
        if (topUp ? amount < 0 : amount <= 0) {
            return refuse(Reason.AMOUNT_NOT_POSITIVE, "The " + what + " must be above $0.00.");
        }
        if (amount > maxRechargeMicros) {
            return refuse(Reason.AMOUNT_ABOVE_LIMIT, "The " + what + " of " + Money.format(amount)
                    + " is above the limit of " + Money.format(maxRechargeMicros) + ".");
        }
        if (topUp && policy.getThresholdMicros() > policy.getTargetMicros()) {
            return refuse(Reason.THRESHOLD_ABOVE_TARGET, "The threshold of " + Money.format(policy.getThresholdMicros())
                    + " is above the recharge-to target of " + Money.format(policy.getTargetMicros()) + ".");
        }
        if (methods.stream().noneMatch(SettingsRules::usableForAutoRecharge)) {
            return refuse(Reason.NO_USABLE_PAYMENT_METHOD, "Automatic recharge needs a card other than PayPal or"
                    + " Diners Club; bank accounts cannot be charged automatically.");
        }
        return Optional.empty();
    }

    @SafeVarargs
    private static Optional<SettingsRefusal> firstOf(Optional<SettingsRefusal>... checks) {
        for (Optional<SettingsRefusal> check : checks) {
            if (check.isPresent()) {
                return check;
            }
        }
        return Optional.empty();
    }

    private static Optional<SettingsRefusal> refuse(Reason reason, String message) {
        return Optional.of(new SettingsRefusal(reason, message));
    }

    private static String shorten(String value) {
        return value == null ? "" : value.length() <= 40 ? value : value.substring(0, 40) + "...";
    }
}
