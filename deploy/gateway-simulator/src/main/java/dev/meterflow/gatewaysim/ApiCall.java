package dev.meterflow.gatewaysim;

import java.util.Map;

/**
 * One Stripe API request as the simulator's core sees it, with no HTTP server types.
 *
 * @param requestId      the id this request is answered under ({@code Request-Id}, {@code req_...})
 * @param method         {@code GET} or {@code POST}
 * @param path           e.g. {@code /v1/payment_intents}
 * @param authorization  the {@code Authorization} header, or {@code null}; never logged
 * @param idempotencyKey the {@code Idempotency-Key} header, or {@code null}
 * @param params         form parameters (POST) or query parameters (GET), first value of each name
 */
record ApiCall(
        String requestId,
        String method,
        String path,
        String authorization,
        String idempotencyKey,
        Map<String, String> params) {

    ApiCall {
        params = Map.copyOf(params);
    }

    @Override
    public String toString() {
        // The record's generated toString would print the API key.
        return "ApiCall[requestId=" + requestId + ", method=" + method + ", path=" + path + "]";
    }
}
