package dev.meterflow.api.advice;

/**
 * A request refused with a message a person can act on; the handlers answer it as
 * {@code {"error": code, "message": ...}} with its status, the shape of every error of the API.
 */
public final class Refusal extends RuntimeException {

    private final int status;
    private final String code;

    public Refusal(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public static Refusal badRequest(String code, String message) {
        return new Refusal(400, code, message);
    }

    public static Refusal unknownAccount(String accountId) {
        return new Refusal(404, "unknown_account", "No account '" + accountId + "' is visible to you.");
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
