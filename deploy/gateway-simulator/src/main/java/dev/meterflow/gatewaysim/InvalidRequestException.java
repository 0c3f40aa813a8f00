package dev.meterflow.gatewaysim;

/**
 * A request Stripe would refuse with {@code 400 invalid_request_error} before executing anything, so no
 * idempotent result is saved for it.
 */
final class InvalidRequestException extends RuntimeException {

    private final String code;
    private final String param;

    InvalidRequestException(String code, String param, String message) {
        super(message);
        this.code = code;
        this.param = param;
    }

    ApiResponse toResponse() {
        return StripeErrors.invalidRequest(400, code, param, getMessage());
    }
}
