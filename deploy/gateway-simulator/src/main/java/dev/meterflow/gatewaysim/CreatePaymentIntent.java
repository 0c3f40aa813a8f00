package dev.meterflow.gatewaysim;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The validated parameters of {@code POST /v1/payment_intents} in the one flow the simulator supports:
 * create and confirm at once ({@code confirm=true}), usually {@code off_session=true}. Parameters outside
 * this flow ({@code expand[]}, {@code statement_descriptor}, ...) are accepted and ignored.
 */
record CreatePaymentIntent(
        long amount,
        String currency,
        String customer,
        String paymentMethod,
        String description,
        Map<String, String> metadata) {

    /** Stripe's limits for USD: at least $0.50, at most $999,999.99. */
    static final long MIN_AMOUNT_CENTS = 50;
    static final long MAX_AMOUNT_CENTS = 99_999_999;

    private static final String METADATA_PREFIX = "metadata[";

    CreatePaymentIntent {
        metadata = Map.copyOf(metadata);
    }

    static CreatePaymentIntent parse(Map<String, String> params) {
        long amount = amount(params.get("amount"));
        String currency = currency(params.get("currency"));
        if (!"true".equals(params.get("confirm"))) {
            throw new InvalidRequestException(null, "confirm", "The gateway simulator supports"
                    + " only PaymentIntents created and confirmed in one call: send confirm=true.");
        }
        String paymentMethod = required(params, "payment_method");
        if (!paymentMethod.startsWith("pm_")) {
            throw new InvalidRequestException("resource_missing", "payment_method",
                    "No such PaymentMethod: '" + paymentMethod + "'");
        }
        String customer = params.get("customer");
        if (customer != null && !customer.startsWith("cus_")) {
            throw new InvalidRequestException("resource_missing", "customer", "No such customer: '" + customer + "'");
        }
        return new CreatePaymentIntent(amount, currency, customer, paymentMethod, params.get("description"),
                metadata(params));
    }

    String requestId() {
        return metadata.get("requestId");
    }

    String accountId() {
        return metadata.get("accountId");
    }

    private static long amount(String value) {
        if (value == null || value.isEmpty()) {
            throw new InvalidRequestException("parameter_missing", "amount", "Missing required param: amount.");
        }
        long amount;
        try {
            amount = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("parameter_invalid_integer", "amount", "Invalid integer: " + value);
        }
        if (amount < MIN_AMOUNT_CENTS) {
            throw new InvalidRequestException("amount_too_small", "amount", "Amount must be at least $0.50 usd");
        }
        if (amount > MAX_AMOUNT_CENTS) {
            throw new InvalidRequestException("amount_too_large", "amount",
                    "Amount must be no more than $999,999.99");
        }
        return amount;
    }

    private static String currency(String value) {
        if (value == null || value.isEmpty()) {
            throw new InvalidRequestException("parameter_missing", "currency", "Missing required param: currency.");
        }
        String currency = value.toLowerCase(Locale.ROOT);
        if (!currency.equals("usd")) {
            throw new InvalidRequestException("parameter_invalid_string", "currency",
                    "Invalid currency: " + value + ". The gateway simulator supports usd only.");
        }
        return currency;
    }

    private static String required(Map<String, String> params, String name) {
        String value = params.get(name);
        if (value == null || value.isEmpty()) {
            throw new InvalidRequestException("parameter_missing", name, "Missing required param: " + name + ".");
        }
        return value;
    }

    private static Map<String, String> metadata(Map<String, String> params) {
        Map<String, String> metadata = new LinkedHashMap<>();
        params.forEach((name, value) -> {
            if (name.startsWith(METADATA_PREFIX) && name.endsWith("]")) {
                metadata.put(name.substring(METADATA_PREFIX.length(), name.length() - 1), value);
            }
        });
        return metadata;
    }
}
