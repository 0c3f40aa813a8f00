package dev.meterflow.gatewaysim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Stripe API answer: HTTP status, JSON body (as ordered maps and lists), extra headers.
 */
record ApiResponse(int status, Map<String, Object> body, Map<String, String> headers) {

    ApiResponse {
        headers = Map.copyOf(headers);
    }

    static ApiResponse ok(Map<String, Object> body) {
        return new ApiResponse(200, body, Map.of());
    }

    ApiResponse withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new ApiResponse(status, body, more);
    }
}
