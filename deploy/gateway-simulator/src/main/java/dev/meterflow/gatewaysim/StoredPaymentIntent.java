package dev.meterflow.gatewaysim;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A PaymentIntent the simulator created. It never changes after creation: the subset of the API simulated
 * here creates and confirms in one call, with no later confirm, capture or cancel.
 *
 * @param paymentMethod the token that was tried; Stripe detaches it from a declined intent, so the JSON shows
 *                      it only on a succeeded one (and in {@code last_payment_error} on a declined one)
 * @param decline       why confirmation failed, or {@code null} if it succeeded
 */
record StoredPaymentIntent(
        String id,
        long amount,
        String currency,
        String customer,
        String paymentMethod,
        String description,
        Map<String, String> metadata,
        String latestCharge,
        CardDecline decline,
        Instant created) {

    static final String SUCCEEDED = "succeeded";
    static final String REQUIRES_PAYMENT_METHOD = "requires_payment_method";

    StoredPaymentIntent {
        metadata = Map.copyOf(metadata);
    }

    String status() {
        return decline == null ? SUCCEEDED : REQUIRES_PAYMENT_METHOD;
    }

    /** Stripe's PaymentIntent object, the fields stripe-java reads for this flow. */
    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("object", "payment_intent");
        json.put("amount", amount);
        json.put("amount_capturable", 0);
        json.put("amount_received", decline == null ? amount : 0);
        json.put("capture_method", "automatic");
        json.put("confirmation_method", "automatic");
        json.put("created", created.getEpochSecond());
        json.put("currency", currency);
        json.put("customer", customer);
        json.put("description", description);
        json.put("last_payment_error", decline == null ? null : lastPaymentError());
        json.put("latest_charge", latestCharge);
        json.put("livemode", false);
        json.put("metadata", new LinkedHashMap<>(metadata));
        json.put("payment_method", decline == null ? paymentMethod : null);
        json.put("payment_method_types", List.of("card"));
        json.put("status", status());
        return json;
    }

    /** The card error as Stripe reports it, without the intent itself (which holds it). */
    Map<String, Object> lastPaymentError() {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("charge", latestCharge);
        error.put("code", decline.code());
        error.put("decline_code", decline.declineCode());
        error.put("doc_url", StripeErrors.docUrl(decline.code()));
        error.put("message", decline.message());
        if (decline.param() != null) {
            error.put("param", decline.param());
        }
        error.put("payment_method", paymentMethodJson());
        error.put("type", "card_error");
        return error;
    }

    private Map<String, Object> paymentMethodJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", paymentMethod);
        json.put("object", "payment_method");
        json.put("customer", customer);
        json.put("type", "card");
        return json;
    }
}
