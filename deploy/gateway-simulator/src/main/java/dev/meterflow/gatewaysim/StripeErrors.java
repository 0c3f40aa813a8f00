package dev.meterflow.gatewaysim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stripe's error bodies, {@code {"error": {"type": ..., "code": ..., "message": ...}}}. stripe-java picks the
 * exception from the HTTP status (400/404 InvalidRequest, or Idempotency when the type is
 * {@code idempotency_error}; 401 Authentication; 402 Card; 429 RateLimit; anything else Api), so the status
 * and the {@code type} here follow Stripe's.
 */
final class StripeErrors {

    private StripeErrors() {
    }

    static String docUrl(String code) {
        return "https://stripe.com/docs/error-codes/" + code.replace('_', '-');
    }

    static ApiResponse invalidRequest(int status, String code, String param, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        if (code != null) {
            error.put("code", code);
            error.put("doc_url", docUrl(code));
        }
        error.put("message", message);
        if (param != null) {
            error.put("param", param);
        }
        error.put("type", "invalid_request_error");
        return wrap(status, error);
    }

    /** Stripe answers a missing or unusable API key with 401 and an {@code invalid_request_error}. */
    static ApiResponse missingApiKey() {
        return invalidRequest(401, null, null, "You did not provide an API key. You need to provide your API key"
                + " in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').");
    }

    static ApiResponse invalidApiKey() {
        // Stripe echoes a masked key; the simulator echoes none of it.
        return invalidRequest(401, null, null,
                "Invalid API Key provided. The gateway simulator accepts test-mode secret keys (sk_test_...) only.");
    }

    static ApiResponse idempotencyMismatch(String idempotencyKey) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", "Keys for idempotent requests can only be used with the same parameters they were"
                + " first used with. Try using a key other than '" + idempotencyKey + "' if you meant to execute"
                + " a different request.");
        error.put("type", "idempotency_error");
        return wrap(400, error);
    }

    static ApiResponse idempotencyKeyInUse() {
        return invalidRequest(409, "idempotency_key_in_use", null, "There is currently another in-progress"
                + " request using this Idempotency-Key. Please try again later.");
    }

    static ApiResponse rateLimited() {
        return invalidRequest(429, "rate_limit", null, "Request rate limit exceeded. Learn more about rate limits"
                + " here https://stripe.com/docs/rate-limits.");
    }

    static ApiResponse apiError(String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", message);
        error.put("type", "api_error");
        return wrap(500, error);
    }

    static ApiResponse resourceMissing(String kind, String id, String param) {
        return invalidRequest(404, "resource_missing", param, "No such " + kind + ": '" + id + "'");
    }

    static ApiResponse unrecognizedUrl(String method, String path) {
        return invalidRequest(404, null, null, "Unrecognized request URL (" + method + ": " + path + ").");
    }

    /** A declined confirmation: 402 with the failed charge and the intent, now awaiting a new payment method. */
    static ApiResponse cardDeclined(StoredPaymentIntent intent) {
        Map<String, Object> error = intent.lastPaymentError();
        error.put("payment_intent", intent.toJson());
        return wrap(402, error);
    }

    private static ApiResponse wrap(int status, Map<String, Object> error) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        return new ApiResponse(status, body, Map.of());
    }
}
