package dev.meterflow.api.page;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** How the page writes times and names; the templates call these. */
public final class PageFormat {

    /** htmx from its webjar ({@code org.webjars.npm:htmx.org}, the version the pom pins). */
    public static final String HTMX = "/webjars/htmx.org/2.0.8/dist/htmx.min.js";

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private PageFormat() {
    }

    public static String time(Instant at) {
        return at == null ? "" : TIME.format(at);
    }

    /** The day and the time of day, for a table cell that may wrap between them but not inside either. */
    public static String day(Instant at) {
        return at == null ? "" : time(at).substring(0, 10);
    }

    public static String clock(Instant at) {
        return at == null ? "" : time(at).substring(11);
    }

    /** "visa" → "Visa", "amex" → "American Express", "bank" → "Bank account". */
    public static String brand(String brand) {
        return switch (brand == null ? "" : brand) {
            case "amex" -> "American Express";
            case "mastercard" -> "Mastercard";
            case "bank" -> "Bank account";
            case "unionpay" -> "UnionPay";
            case "jcb" -> "JCB";
            case "" -> "Card";
            default -> Character.toUpperCase(brand.charAt(0)) + brand.substring(1);
        };
    }

    /** PRIMARY → "Primary", SUCCEEDED → "Succeeded", PAYMENT_DECLINED → "Payment declined". */
    public static String words(String code) {
        if (code == null || code.isEmpty()) {
            return "";
        }
        String lower = code.toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        return Character.toUpperCase(lower.charAt(0)) + lower.substring(1);
    }

    /** Why a charge was made: AUTO_RECHARGE → "Automatic recharge", ONE_TIME_PAYMENT → "One-time payment". */
    public static String reason(String reason) {
        return switch (reason == null ? "" : reason) {
            case "AUTO_RECHARGE" -> "Automatic recharge";
            case "ONE_TIME_PAYMENT" -> "One-time payment";
            case "PLAN_FEE_DIRECT" -> "Plan fee";
            default -> words(reason);
        };
    }

    /** What a debit (a negative ledger amount) took from the balance: -8,250,000 micros → "$8.25". */
    public static String debited(long amountMicros) {
        return dev.meterflow.money.Money.format(Math.negateExact(amountMicros));
    }

    /** A new idempotency key for a form: a double submit of the same page is one payment. */
    public static String newKey() {
        return java.util.UUID.randomUUID().toString();
    }
}
