package dev.meterflow.api;

/**
 * A refusal with a message a person can act on. The query and command services throw it; the HTTP layer
 * turns it into {@code {"error": code, "message": ...}} with the status.
 */
public final class ApiException extends RuntimeException {

    private final int status;
    private final String code;

    public ApiException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public static ApiException badRequest(String code, String message) {
        return new ApiException(400, code, message);
    }

    public static ApiException unknownAccount(String accountId) {
        return new ApiException(404, "unknown_account", "No account '" + accountId + "' is visible to you.");
    }

    public static ApiException notFound(String code, String message) {
        return new ApiException(404, code, message);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
